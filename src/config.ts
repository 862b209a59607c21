import { z } from 'zod';
import { validateCaptureFilters, type FilterProblem } from './capture/filters';
import { AppError } from './errors/AppError';
import { ConfigError, type SettingProblem } from './errors/ConfigError';
import { isResourceType, parseArmResourceId, parseArmScope } from './security/armResourceId';

// Ids are checked by the same strict parser that later reads them (the allow-list, pinned storage).
const isScope = (value: string) => parseArmScope(value).ok;
const isArmIdOf =
  (namespaceAndType: string, name = /./) =>
  (value: string) => {
    const parsed = parseArmResourceId(value);
    return parsed.ok && isResourceType(parsed.value, namespaceAndType) && name.test(parsed.value.names[0]!);
  };
/** Storage account names: 3 to 24 lower-case letters and digits. */
const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpsUrl = z.url({ protocol: /^https?$/ });
const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((v) =>
      v
        .split(/[,;\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));

/** The filter rules' own wording, so a bad default reads like a bad filter in an alert. */
function filterProblems(error: unknown): string {
  if (!(error instanceof AppError) || error.code !== 'CAPTURE_FILTER_INVALID') throw error;
  const problems = error.details.problems as FilterProblem[];
  const lines = problems.map((p) => `filter ${p.filter} ${p.field} ${JSON.stringify(p.value)} ${p.problem}`);
  return `has invalid filters: ${lines.join('; ')}`;
}

interface SettingSpec {
  schema: z.ZodType;
  example: string;
  description: string;
  default?: string;
  secret?: boolean;
}

/**
 * Every app setting the app reads, in one schema. Each entry carries an example so that a
 * failing setting can be reported with a value that would have worked.
 */
export const SETTINGS = {
  CAPTURE_STORAGE_ACCOUNT_ID: {
    schema: z
      .string()
      .refine(
        isArmIdOf('Microsoft.Storage/storageAccounts', STORAGE_ACCOUNT_NAME),
        'must be the resource id of a storage account',
      ),
    example:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-capture/providers/Microsoft.Storage/storageAccounts/stcaptures',
    description: 'Storage account Network Watcher writes the capture files into (same region as the VMs).',
  },
  CAPTURE_STORAGE_CONNECTION: {
    schema: z.string().min(1).optional(),
    example: 'UseDevelopmentStorage=true',
    description:
      'Connection string for the capture storage. Only for the offline stack (Azurite); in Azure leave it unset and the managed identity is used.',
    secret: true,
  },
  ALLOWED_SCOPES: {
    schema: list(z.string().refine(isScope, 'must be /subscriptions/{id}[/resourceGroups/{name}]')),
    example: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web',
    description:
      'Subscriptions or resource groups whose VMs may be captured (comma separated). Alerts for any other VM are refused.',
  },
  CAPTURE_TIME_LIMIT_SECONDS: {
    schema: int(1, 18000),
    default: '300',
    example: '600',
    description: 'Default capture duration in seconds (Network Watcher allows at most 18000).',
  },
  CAPTURE_BYTES_PER_PACKET: {
    schema: int(0, 4294967295),
    default: '0',
    example: '128',
    description: 'Bytes kept of each packet; 0 keeps whole packets.',
  },
  CAPTURE_BYTES_PER_SESSION: {
    schema: int(1, 4294967295),
    default: '1073741824',
    example: '536870912',
    description: 'The capture stops when its file reaches this many bytes.',
  },
  CAPTURE_DEFAULT_FILTERS: {
    schema: z
      .string()
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of filters' });
          return z.NEVER;
        }
      })
      .pipe(z.array(z.unknown(), 'must be a JSON array of filters'))
      .transform((filters, ctx) => {
        try {
          return validateCaptureFilters(filters);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: filterProblems(error) });
          return z.NEVER;
        }
      }),
    default: '[]',
    example: '[{"protocol":"TCP","remotePort":"443"}]',
    description:
      "Default 5-tuple filters (JSON array, checked by the same rules as an alert's filters) when the alert does not bring its own.",
  },
  CAPTURE_SESSION_LIMIT: {
    schema: int(1, 10000),
    default: '100',
    example: '10',
    description: 'At most this many capture sessions run at once per Network Watcher.',
  },
  CAPTURE_SLOT_WAIT_SECONDS: {
    schema: int(0, 86400),
    default: '900',
    example: '300',
    description: 'How long a run waits for a free session slot before it gives up and reports.',
  },
  CAPTURE_CHECK_INTERVAL_SECONDS: {
    schema: int(10, 3600),
    default: '300',
    example: '120',
    description: 'How often a running capture is checked for an early end (byte limit, error).',
  },
  ORPHAN_SWEEP_AGE_SECONDS: {
    schema: int(0, 86400),
    default: '600',
    example: '1800',
    description:
      "A capture this app created that no live run owns (a create Azure carried out late, a terminated run's) is stopped and deleted once the sweep (every 5 minutes) has seen it so for this long.",
  },
  PERMISSION_GRACE_SECONDS: {
    schema: int(0, 3600),
    default: '600',
    example: '900',
    description:
      "For this long after the app starts, Azure's 401/403 answers are taken for role assignments that are not yet in effect (Azure documents up to 10 minutes): the step waits and tries again, and the report says so. 0 treats them as final at once.",
  },
  NETWORK_WATCHER_ID: {
    schema: z
      .string()
      .refine(isArmIdOf('Microsoft.Network/networkWatchers'), 'must be the resource id of a network watcher')
      .optional(),
    example:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope',
    description: "Pins the Network Watcher to use; by default the one in the VM's region is found.",
  },
  AUTO_INSTALL_AGENT: {
    schema: bool,
    default: 'false',
    example: 'true',
    description: 'Install the Network Watcher agent extension on a VM that lacks it.',
  },
  DOWNLOAD_LINK_TTL_MINUTES: {
    schema: int(5, 10080),
    default: '60',
    example: '240',
    description: 'Lifetime of the read-only download link sent to operators.',
  },
  RESOLVED_ALERT_ACTION: {
    schema: z.enum(['ignore', 'stop']),
    default: 'ignore',
    example: 'stop',
    description: "What a Resolved/Deactivated alert does: nothing, or stop that VM's running capture early.",
  },
  NOTIFY_WEBHOOK_URL: {
    schema: httpsUrl.optional(),
    example: 'https://ops.example.com/hooks/alert-capture',
    description: 'Generic JSON webhook that receives every capture report.',
    secret: true,
  },
  NOTIFY_WEBHOOK_SECRET: {
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    example: 'a-long-random-shared-secret',
    description: 'Shared secret for the HMAC-SHA256 signature of generic webhook notifications.',
    secret: true,
  },
  NOTIFY_TEAMS_URL: {
    schema: httpsUrl.optional(),
    example: 'https://prod-00.westeurope.logic.azure.com/workflows/…',
    description: 'Microsoft Teams Workflows webhook (receives an Adaptive Card).',
    secret: true,
  },
  NOTIFY_SLACK_URL: {
    schema: httpsUrl.optional(),
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    description: 'Slack incoming webhook.',
    secret: true,
  },
  ARM_ENDPOINT: {
    schema: z.url({ protocol: /^https$/ }),
    default: 'https://management.azure.com',
    example: 'https://127.0.0.1:8443',
    description:
      'Azure Resource Manager endpoint; the offline stack points it at the Network Watcher emulator.',
  },
  AZURE_CREDENTIAL_MODE: {
    schema: z.enum(['managedIdentity', 'default', 'emulator']),
    default: 'managedIdentity',
    example: 'default',
    description:
      'managedIdentity in Azure; default uses DefaultAzureCredential (developer sign-in); emulator only for the offline stack.',
  },
  MANAGED_IDENTITY_CLIENT_ID: {
    schema: z.guid().optional(),
    example: '11111111-1111-1111-1111-111111111111',
    description: 'Client id of the user-assigned managed identity (unset for system-assigned).',
  },
  EMULATOR_CA_CERT: {
    schema: z.string().min(1).optional(),
    example: '.local/emulator-cert.pem',
    description:
      "Path of the emulator's self-signed certificate; trusted only when AZURE_CREDENTIAL_MODE is emulator.",
  },
  SECURE_WEBHOOK_TENANT_ID: {
    schema: z.guid().optional(),
    example: '22222222-2222-2222-2222-222222222222',
    description: 'Enables secure webhook: the Microsoft Entra tenant whose tokens are accepted.',
  },
  SECURE_WEBHOOK_AUDIENCE: {
    schema: z.string().min(1).optional(),
    example: 'api://alert-capture',
    description: 'Secure webhook: the expected token audience (the app registration id or URI).',
  },
  SECURE_WEBHOOK_ROLE: {
    schema: z.string().min(1).optional(),
    example: 'ActionGroupsSecureWebhook',
    description: 'Secure webhook: an app role the token must carry.',
  },
  SECURE_WEBHOOK_JWKS_URL: {
    schema: z
      .url({ protocol: /^https?$/ })
      .refine(
        (v) => v.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(v),
        'must be an https URL (plain http only on 127.0.0.1 or localhost)',
      )
      .optional(),
    example: 'https://login.microsoftonline.com/22222222-2222-2222-2222-222222222222/discovery/v2.0/keys',
    description:
      "Secure webhook: where the token signing keys are fetched. Default: the tenant's Microsoft Entra keys.",
  },
  SECURE_WEBHOOK_ISSUERS: {
    schema: list(z.url({ protocol: /^https?$/ })).optional(),
    example: 'https://sts.windows.net/22222222-2222-2222-2222-222222222222/',
    description:
      "Secure webhook: accepted token issuers (comma separated). Default: the tenant's v1 and v2 Microsoft Entra issuers.",
  },
  DURABLE_TASK_HUB: {
    schema: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{2,49}$/, 'must be 3-50 letters and digits, starting with a letter'),
    default: 'alertcapture',
    example: 'alertcaptureprod',
    description: 'Durable Functions task hub name (also what Durable Functions Monitor attaches to).',
  },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export type Config = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

/** Parses every setting from `env`, reporting all problems at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: SettingProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec][]) {
    const raw = env[name];
    const input = raw === undefined || raw.trim() === '' ? spec.default : raw.trim();
    const result = spec.schema.safeParse(input);
    if (result.success) {
      values[name] = result.data;
    } else {
      const issue = result.error.issues[0];
      const missing = input === undefined;
      problems.push({
        setting: name,
        problem: missing ? 'is required but not set' : (issue?.message ?? 'is invalid'),
        example: spec.example,
      });
    }
  }
  const config = values as Config;
  crossCheck(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function crossCheck(config: Config, problems: SettingProblem[]): void {
  const secure = [config.SECURE_WEBHOOK_TENANT_ID, config.SECURE_WEBHOOK_AUDIENCE];
  if (secure.some(Boolean) && !secure.every(Boolean)) {
    problems.push({
      setting: config.SECURE_WEBHOOK_TENANT_ID ? 'SECURE_WEBHOOK_AUDIENCE' : 'SECURE_WEBHOOK_TENANT_ID',
      problem: 'secure webhook needs both SECURE_WEBHOOK_TENANT_ID and SECURE_WEBHOOK_AUDIENCE',
      example:
        SETTINGS[config.SECURE_WEBHOOK_TENANT_ID ? 'SECURE_WEBHOOK_AUDIENCE' : 'SECURE_WEBHOOK_TENANT_ID']
          .example,
    });
  }
  if (config.EMULATOR_CA_CERT && config.AZURE_CREDENTIAL_MODE !== 'emulator') {
    problems.push({
      setting: 'EMULATOR_CA_CERT',
      problem: 'is only allowed when AZURE_CREDENTIAL_MODE is emulator',
      example: 'unset it in Azure',
    });
  }
  if (config.NOTIFY_WEBHOOK_SECRET && !config.NOTIFY_WEBHOOK_URL) {
    problems.push({
      setting: 'NOTIFY_WEBHOOK_URL',
      problem: 'is required when NOTIFY_WEBHOOK_SECRET is set',
      example: SETTINGS.NOTIFY_WEBHOOK_URL.example,
    });
  }
}

let cached: Config | undefined;

/** The settings of this process, parsed on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Forgets the parsed settings, for tests and the dev host that change the environment. */
export function resetConfig(): void {
  cached = undefined;
}
