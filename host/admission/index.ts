/**
 * The admission interface's host side: the chain (library API), request decoding and matching.
 *
 *   const chain = new AdmissionChain(host, { namespaces });
 *   const outcome = await chain.review(admissionReview.request);
 */
export { AdmissionChain, applyPluginPatch, type AdmissionChainOptions, type AdmissionHost, type AdmissionOutcome, type AdmittedOutcome, type DeniedOutcome, type PluginCall, type ReviewOptions } from './chain.js';
export { EmbeddedAdmissionPlugin, ProcessAdmissionPlugin, toVerdict, type AdmissionPluginLike, type AdmitVerdict, type InProcessAdmissionPlugin } from './plugins.js';
export {
  decodeSettings, namespaceSelectorMatches, objectSelectorMatches, ruleMatches, rulesMatch, selectorMatches, NAMESPACE_NAME_LABEL,
  type AdmissionPluginSettings, type NamespaceLookup, type Rule, type Selector, type SettingsOverride,
} from './match.js';
export {
  ADMISSION_API_VERSION, ADMISSION_REVIEW_KIND, AdmissionRequestError, parseAdmissionRequest, parseAdmissionReview,
  type AdmissionRequest, type AdmissionResponse, type AdmissionReviewResponse, type AdmissionStatus, type JsonObject, type JsonValue, type Operation,
} from './review.js';
