declare namespace Cloudflare {
  interface Env {
    /** Never published to: the "no model" answers. */
    EMPTY_MODELS: KVNamespace;
    /** Written by the fault tests (corrupt blobs, bad pointers). */
    SCRATCH_MODELS: KVNamespace;
    /** The Complete Journey model (category ladders). */
    JOURNEY_MODELS: KVNamespace;
    /** The experiment tests push config documents here (retail model live, journey model pinnable). */
    CONFIG_MODELS: KVNamespace;
  }
}
