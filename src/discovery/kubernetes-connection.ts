/**
 * Credentials for the Kubernetes API, resolved as Prometheus does: `api_server` with the config's
 * HTTP client settings, a `kubeconfig_file` (its current context), or, when neither is set, the
 * in-cluster service account.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { HTTPClientConfig } from '../config/http-client.js';
import type { KubernetesSDConfig } from '../config/discovery.js';
import { DiscoveryError } from './errors.js';
import type { KubernetesConnection } from './kubernetes-client.js';
import type { JsonObject } from './kubernetes-json.js';
import { arrayField, asObject, boolField, objectField, stringField } from './kubernetes-json.js';

/** Where a pod finds its service account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The environment credentials are resolved from; replaceable in tests. */
export interface KubernetesEnvironment {
  /** Process environment (`KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The service account directory, {@link SERVICE_ACCOUNT_DIR} by default. */
  serviceAccountDir: string;
}

/** The real environment. */
export function defaultKubernetesEnvironment(): KubernetesEnvironment {
  return { env: process.env, serviceAccountDir: SERVICE_ACCOUNT_DIR };
}

function configError(message: string, cause?: unknown): DiscoveryError {
  return new DiscoveryError('ERR_SD_K8S_CONFIG', message, cause === undefined ? undefined : { cause });
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw configError(`read ${what} ${path}`, err);
  }
}

/** A bearer token re-read from `file` on every request, since projected tokens rotate. */
function tokenFromFile(file: string): () => Promise<string | undefined> {
  return async () => `Bearer ${(await readText(file, 'token file')).trim()}`;
}

/** Resolves the connection of a parsed `kubernetes_sd_config`. Throws a `DiscoveryError`. */
export async function resolveKubernetesConnection(
  cfg: KubernetesSDConfig,
  environment: KubernetesEnvironment = defaultKubernetesEnvironment(),
): Promise<KubernetesConnection> {
  if (cfg.apiServer !== '') return fromHttpClient(cfg.apiServer, cfg.httpClient);
  if (cfg.kubeconfigFile !== '') return fromKubeconfig(cfg.kubeconfigFile);
  return inCluster(environment);
}

async function fromHttpClient(server: string, h: HTTPClientConfig): Promise<KubernetesConnection> {
  const t = h.tlsConfig;
  const orFile = async (inline: string, file: string, what: string): Promise<string | undefined> =>
    inline !== '' ? inline : file !== '' ? readText(file, what) : undefined;
  let authorization: () => Promise<string | undefined> = () => Promise.resolve(undefined);
  const basic = h.basicAuth;
  const auth = h.authorization;
  if (basic !== undefined) {
    authorization = async () => {
      const password = (await orFile(basic.password, basic.passwordFile, 'password file')) ?? '';
      const user = (await orFile(basic.username, basic.usernameFile, 'username file')) ?? '';
      return `Basic ${Buffer.from(`${user}:${password.trim()}`).toString('base64')}`;
    };
  } else if (auth !== undefined) {
    authorization = async () => {
      const cred = (await orFile(auth.credentials, auth.credentialsFile, 'credentials file')) ?? '';
      return `${auth.type || 'Bearer'} ${cred.trim()}`;
    };
  }
  return {
    server,
    authorization,
    tls: {
      ca: await orFile(t.ca, t.caFile, 'CA file'),
      cert: await orFile(t.cert, t.certFile, 'certificate file'),
      key: await orFile(t.key, t.keyFile, 'key file'),
      servername: t.serverName || undefined,
      rejectUnauthorized: !t.insecureSkipVerify,
    },
  };
}

async function inCluster(environment: KubernetesEnvironment): Promise<KubernetesConnection> {
  const host = environment.env['KUBERNETES_SERVICE_HOST'] ?? '';
  const port = environment.env['KUBERNETES_SERVICE_PORT'] ?? '';
  if (host === '' || port === '') {
    throw configError(
      'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const dir = environment.serviceAccountDir;
  return {
    server: `https://${hostPart}:${port}`,
    authorization: tokenFromFile(join(dir, 'token')),
    tls: { ca: await readText(join(dir, 'ca.crt'), 'CA file'), rejectUnauthorized: true },
  };
}

/** Reads the namespace of the pod Vigil runs in, for `namespaces.own_namespace`. */
export async function ownNamespace(
  environment: KubernetesEnvironment = defaultKubernetesEnvironment(),
): Promise<string> {
  return (await readText(join(environment.serviceAccountDir, 'namespace'), 'namespace file')).trim();
}

/** Finds `name` in a kubeconfig list of `{name, <field>: {...}}` entries. */
function named(doc: JsonObject, list: string, field: string, name: string): JsonObject {
  const entry = arrayField(doc, list, 'kubeconfig', asObject).find((e) => e['name'] === name);
  if (entry === undefined) throw configError(`kubeconfig: ${list} entry "${name}" not found`);
  return objectField(entry, field, `kubeconfig.${list}[${name}]`);
}

async function fromKubeconfig(file: string): Promise<KubernetesConnection> {
  const text = await readText(file, 'kubeconfig');
  let doc: JsonObject;
  try {
    doc = asObject(parseYaml(text) as unknown, 'kubeconfig');
  } catch (err) {
    throw configError(`parse kubeconfig ${file}`, err);
  }
  const contextName = stringField(doc, 'current-context', 'kubeconfig');
  const context = named(doc, 'contexts', 'context', contextName);
  const cluster = named(doc, 'clusters', 'cluster', stringField(context, 'cluster', 'context'));
  const user = named(doc, 'users', 'user', stringField(context, 'user', 'context'));
  // Relative file paths in a kubeconfig are relative to the kubeconfig itself.
  const dir = join(file, '..');
  const data = async (o: JsonObject, key: string): Promise<string | Buffer | undefined> => {
    const inline = stringField(o, `${key}-data`, 'kubeconfig');
    if (inline !== '') return Buffer.from(inline, 'base64');
    const path = stringField(o, key, 'kubeconfig');
    return path === '' ? undefined : readText(join(dir, path), key);
  };
  const token = stringField(user, 'token', 'kubeconfig.user');
  const tokenFile = stringField(user, 'tokenFile', 'kubeconfig.user');
  const username = stringField(user, 'username', 'kubeconfig.user');
  let authorization: () => Promise<string | undefined> = () => Promise.resolve(undefined);
  if (token !== '') authorization = () => Promise.resolve(`Bearer ${token}`);
  else if (tokenFile !== '') authorization = tokenFromFile(join(dir, tokenFile));
  else if (username !== '') {
    const basic = Buffer.from(`${username}:${stringField(user, 'password', 'kubeconfig.user')}`);
    authorization = () => Promise.resolve(`Basic ${basic.toString('base64')}`);
  }
  const server = stringField(cluster, 'server', 'kubeconfig.cluster');
  if (server === '') throw configError(`kubeconfig ${file}: cluster has no server`);
  return {
    server,
    authorization,
    tls: {
      ca: await data(cluster, 'certificate-authority'),
      cert: await data(user, 'client-certificate'),
      key: await data(user, 'client-key'),
      servername: stringField(cluster, 'tls-server-name', 'kubeconfig.cluster') || undefined,
      rejectUnauthorized: boolField(cluster, 'insecure-skip-tls-verify', 'kubeconfig.cluster') !== true,
    },
  };
}
