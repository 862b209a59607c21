import { AppError } from './AppError';

export interface SettingProblem {
  setting: string;
  problem: string;
  example: string;
}

/** Thrown once at start-up when settings are missing or malformed; lists every problem. */
export class ConfigError extends AppError {
  override name = 'ConfigError';
  readonly problems: readonly SettingProblem[];

  constructor(problems: SettingProblem[]) {
    const lines = problems.map((p) => `- ${p.setting} ${p.problem} (example: ${p.setting}=${p.example})`);
    super('CONFIG_INVALID', `Invalid app settings:\n${lines.join('\n')}`, { details: { problems } });
    this.problems = problems;
  }
}
