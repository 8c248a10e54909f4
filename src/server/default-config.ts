/**
 * The configuration `vigil server` runs when no `--config.file` is given: Prometheus' defaults and
 * one job scraping the server itself, so a fresh start shows data at once.
 */

/** The embedded configuration for a server listening on `listenAddress` (`host:port` or `:port`). */
export function embeddedConfigYaml(listenAddress: string): string {
  const sep = listenAddress.lastIndexOf(':');
  const host = listenAddress.slice(0, sep).replace(/^\[|\]$/g, '');
  const port = listenAddress.slice(sep + 1);
  const target = host === '' || host === '0.0.0.0' || host === '::' ? `localhost:${port}` : listenAddress;
  return `# Embedded default configuration (no --config.file given).
global:
  scrape_interval: 15s
  evaluation_interval: 15s

scrape_configs:
  - job_name: vigil
    static_configs:
      - targets: ['${target}']
`;
}
