import { Counter } from 'prom-client';

/** Which API call failed, the `call` label of `codesync_agent_kube_api_errors_total`. */
export type KubeCall = 'list_node' | 'watch_node' | 'list_pods' | 'watch_pods' | 'patch_node' | 'event';

/**
 * `codesync_agent_kube_api_errors_total{call}`: failed Kubernetes API calls (outages, 4xx/5xx).
 * Made before the agent's registry exists (the labels watch starts first); registered on it later.
 */
export function kubeApiErrors(): Counter<'call'> {
  return new Counter({ name: 'codesync_agent_kube_api_errors_total', help: 'Failed Kubernetes API calls by call', labelNames: ['call'], registers: [] });
}
