/** Request payloads shared by the suites, so that their figures compare like with like. */
import type { AdmitRequest } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';

/** A Pod CREATE review of about 200 bytes on the wire. */
export function admitRequest(): AdmitRequest {
  const pod = { metadata: { name: 'web-0', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
  return {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: 'web-0',
    namespace: 'default',
    operation: 'CREATE',
    userInfo: { username: 'system:serviceaccount:default:deployer', uid: 'u-1' },
    object: Buffer.from(JSON.stringify(pod)),
    mutatingPhase: false,
  };
}
