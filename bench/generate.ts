import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';

/**
 * A synthetic dump in the seed's shape, made of the seed's own posts (fixtures/seed.txt, a listing
 * copied by hand): each post is one of them, title, header (its first paragraph glued after `引用`)
 * and excerpt lines as they are, with a later date and another reader count; the site's sidebar at
 * the end. So its lines are the seed's: 4.1 per post, 250 bytes on average, a fifth ASCII (LaTeX,
 * punctuation), where an earlier generator's shorter made-up paragraphs gave 6.2 lines of 173 bytes
 * per post, which favoured no tool but weighed on those that pay per line. The same bytes for the
 * same size.
 */

interface SeedPost {
  title: string;
  /** What follows `引用` on the header line. */
  first: string;
  /** The excerpt's other lines. */
  lines: string[];
}

const CITE = '位读者 | 引用';

/** The seed's posts; the sidebar after the last one is left out. */
function seedPosts(seed: string): SeedPost[] {
  const lines = seed.split('\n');
  const posts: SeedPost[] = [];
  for (const [i, line] of lines.entries()) {
    const cite = line.indexOf(CITE);
    if (line.startsWith('By ') && cite !== -1) {
      // The line above a header is its title, not the last post's text.
      posts.at(-1)?.lines.pop();
      posts.push({ title: lines[i - 1] as string, first: line.slice(cite + CITE.length), lines: [] });
    } else if (line === '最近评论') {
      break;
    } else if (line !== '') {
      posts.at(-1)?.lines.push(line);
    }
  }
  return posts;
}

/** A small seeded random generator, so that a generated input is the same bytes each time. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes about `megabytes` MB to `path` from the seed at `seedPath`; returns the number of posts. */
export async function generateDump(path: string, megabytes: number, seedPath: string): Promise<number> {
  const posts = seedPosts(readFileSync(seedPath, 'utf8'));
  const random = mulberry32(20210122);
  const out = createWriteStream(path);
  const target = megabytes * 1e6;
  let written = 0;
  let count = 0;
  let day = Date.UTC(2009, 0, 1);
  let text = '';
  while (written < target) {
    day += Math.floor(random() * 3) * 86_400_000;
    const date = new Date(day).toISOString().slice(0, 10);
    const readers = Math.floor(random() * 400_000);
    const post = posts[Math.floor(random() * posts.length)] as SeedPost;
    text += `${post.title}\nBy 苏剑林 | ${date} | ${readers}位读者 | 引用${post.first}\n${post.lines.map((line) => `${line}\n`).join('')}`;
    count++;
    if (text.length > 1 << 16) {
      written += Buffer.byteLength(text);
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(`${text}最近评论\n苏剑林: 谢谢指出\n随机文章\n« 1 2 3 »\n`);
  await once(out, 'finish');
  return count;
}
