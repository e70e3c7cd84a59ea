/** SDK_VERSION is this SDK's version, sent as Hello.sdk_version (§4.1); package.json's. */
export const SDK_VERSION = "0.1.0";

/** SDK_LANGUAGE is this SDK's Hello.sdk_language (§4.1). */
export const SDK_LANGUAGE = "node";
