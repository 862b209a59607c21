// Registers every activity with the Durable Functions app (each module registers itself on import).
import './resolveTarget';
import './inspectCaptures';
import './createCapture';
import './getCaptureStatus';
import './stopCapture';
import './deleteCapture';
import './verifyCaptureBlob';
import './createDownloadLink';
import './notify';
