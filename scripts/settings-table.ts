// Prints the README's settings table from the one settings schema (src/config.ts), so the two
// cannot drift: `npm run docs:settings`, then paste between the README's settings markers.
import { SETTINGS } from '../src/config';

const cell = (text: string) => text.replace(/\|/g, '\\|');

const rows = Object.entries(SETTINGS).map(([name, spec]) => {
  const fallback =
    'default' in spec
      ? `\`${spec.default}\``
      : spec.schema.safeParse(undefined).success
        ? 'unset'
        : 'required';
  const secret = 'secret' in spec && spec.secret ? ' Secret: never logged.' : '';
  return `| \`${name}\` | ${fallback} | \`${cell(spec.example)}\` | ${cell(spec.description)}${secret} |`;
});

console.log(
  ['| Setting | Default | Example | What it does |', '| --- | --- | --- | --- |', ...rows].join('\n'),
);
