// Registers the HTTP triggers (each module registers itself on import).
import './alertWebhook';
import './captureStatus';
import './captureList';
import './stopRun';
import './captureDownload';
