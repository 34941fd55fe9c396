import { Counter } from 'prom-client';
/**
 * `codesync_agent_kube_api_errors_total{call}`: failed Kubernetes API calls (outages, 4xx/5xx).
 * Made before the agent's registry exists (the labels watch starts first); registered on it later.
 */
export function kubeApiErrors() {
    return new Counter({ name: 'codesync_agent_kube_api_errors_total', help: 'Failed Kubernetes API calls by call', labelNames: ['call'], registers: [] });
}
//# sourceMappingURL=kube-metrics.js.map