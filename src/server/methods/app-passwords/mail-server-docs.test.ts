import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../test-support/mail-servers.ts';

describe('the README mail-server snippets', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  it.each(readdirSync(join(repoRoot, 'deploy')))('show deploy/%s as the tests run it', (name) => {
    expect(readme).toContain(readFileSync(join(repoRoot, 'deploy', name), 'utf8').trimEnd());
  });
});
