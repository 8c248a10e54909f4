/** Maps a parsed `kubernetes_sd_config` onto {@link KubernetesOptions}. */
import type { KubernetesSDConfig } from '../config/discovery.js';
import type { KubernetesEnvironment } from './kubernetes-connection.js';
import { defaultKubernetesEnvironment, ownNamespace } from './kubernetes-connection.js';
import type { KubernetesOptions } from './kubernetes.js';
import { defaultKubernetesOptions } from './kubernetes.js';

/**
 * The discoverer options of a config block: its role, the namespaces (plus the pod's own when
 * `own_namespace` is set) and the selectors given for that role. Reads the service account's
 * namespace file only for `own_namespace`; throws a `DiscoveryError` when it cannot.
 */
export async function kubernetesOptionsFromConfig(
  cfg: KubernetesSDConfig,
  environment: KubernetesEnvironment = defaultKubernetesEnvironment(),
): Promise<KubernetesOptions> {
  const namespaces = [...cfg.namespaces.names];
  if (cfg.namespaces.ownNamespace) {
    const own = await ownNamespace(environment);
    if (!namespaces.includes(own)) namespaces.push(own);
  }
  const selector = cfg.selectors.find((s) => s.role === cfg.role);
  return {
    ...defaultKubernetesOptions(),
    role: cfg.role,
    namespaces,
    labelSelector: selector?.label ?? '',
    fieldSelector: selector?.field ?? '',
    attachNodeMetadata: cfg.attachMetadata.node,
  };
}
