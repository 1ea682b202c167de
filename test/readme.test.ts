// The README is the first thing a user reads from a clone: every link in it must resolve inside
// the repository (no links to files the clone does not have), and every in-page anchor must name
// a heading of the same file. The same holds for the other top-level documents it links to.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';

const root = projectRoot();
const DOCUMENTS = ['README.md', 'ARCHITECTURE.md', 'test/bench/README.md'];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

function linksOf(markdown: string): string[] {
  // Inline links and images, outside code spans and fences.
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

describe('documents', () => {
  for (const doc of DOCUMENTS) {
    it(`${doc}: every link resolves inside the repository`, () => {
      const path = join(root, doc);
      if (!existsSync(path)) throw new Error(`${doc} is missing`);
      const markdown = readFileSync(path, 'utf8');
      const headings = new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1]!)));
      const bad: string[] = [];
      for (const link of linksOf(markdown)) {
        if (/^(https?:|mailto:)/.test(link)) continue;
        const [file, anchor] = link.split('#') as [string, string | undefined];
        if (file === '') {
          if (!headings.has(anchor ?? '')) bad.push(`${link} (no such heading)`);
          continue;
        }
        const target = normalize(join(dirname(path), decodeURI(file)));
        if (relative(root, target).startsWith('..')) bad.push(`${link} (outside the repository)`);
        else if (!existsSync(target)) bad.push(`${link} (missing)`);
      }
      expect(bad).toEqual([]);
    });
  }
});
