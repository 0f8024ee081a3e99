// What the browser tests share: axe-core's WCAG 2.1 A/AA run on a page,
// and a free loopback port for a service to bind (tests/support/ports.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The page's violations of WCAG 2.1 A and AA, each "rule: elements".
export async function axeViolations(page) {
    await page.evaluate(axeSource);
    return page.evaluate(async () => (await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`));
}

export { freePort } from './ports.mjs';
