// The Functions host loads this file (package.json "main"); every function module registers itself
// on import. Azure SDKs are imported lazily inside the activities so that cold start stays small.
import './startup';
import './activities';
import './orchestrators';
import './triggers';

export {};
