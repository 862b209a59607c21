export interface Secret {
  /** What it is, for the finding (never the value). */
  name: string;
  value: string;
}

export interface SecretFinding {
  secret: string;
  line: number;
  /** The line with the secret masked, to locate it. */
  excerpt: string;
}

/** Shapes that are secrets whatever their value: a SAS signature, a bearer token, an account key. */
const SECRET_SHAPES: { name: string; pattern: RegExp }[] = [
  { name: 'SAS signature (sig=)', pattern: /[?&]sig=[^&\s"']+/i },
  { name: 'bearer token', pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{12,}/ },
  { name: 'storage account key (AccountKey=)', pattern: /AccountKey=[A-Za-z0-9+/=]{20,}/i },
  { name: 'function key parameter (code=)', pattern: /[?&]code=[A-Za-z0-9_\-=%]{20,}/ },
];

/**
 * Every place a secret shows in `lines`: the known values (keys, tokens, the notification URL's
 * token) and the secret shapes above. Values shorter than 8 characters are refused: they would
 * match by chance.
 */
export function findSecrets(lines: readonly string[], secrets: readonly Secret[]): SecretFinding[] {
  for (const secret of secrets) {
    if (secret.value.length < 8) throw new RangeError(`secret ${secret.name} is too short to scan for`);
  }
  const findings: SecretFinding[] = [];
  lines.forEach((line, index) => {
    for (const secret of secrets) {
      if (line.includes(secret.value)) findings.push(finding(secret.name, index, line, secret.value));
    }
    for (const shape of SECRET_SHAPES) {
      const match = shape.pattern.exec(line);
      if (match) findings.push(finding(shape.name, index, line, match[0]));
    }
  });
  return findings;
}

function finding(secret: string, index: number, line: string, value: string): SecretFinding {
  const at = line.indexOf(value);
  const excerpt = `${line.slice(Math.max(0, at - 60), at)}<${secret}>${line.slice(at + value.length, at + value.length + 60)}`;
  return { secret, line: index, excerpt };
}
