import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from '../src/index.js';

const seed = readFileSync(new URL('../fixtures/seed.txt', import.meta.url));

describe('the seed dump', () => {
  const { posts, diagnostics } = parse(seed, { source: 'fixtures/seed.txt' });

  it('gives 8 posts with exact titles, dates and reader counts', () => {
    expect(posts.map((p) => [p.title, p.author, p.date, p.readers])).toEqual([
      ['【搜出来的文本】⋅(三)基于BERT的文本采样', '苏剑林', '2021-01-22', 81957],
      ['Seq2Seq重复解码现象的理论分析尝试', '苏剑林', '2021-01-26', 31392],
      ['Nyströmformer:基于矩阵分解的线性化Attention方案', '苏剑林', '2021-02-16', 43847],
      ['P-tuning:自动构建模版,释放语言模型潜能', '苏剑林', '2021-04-03', 142586],
      ['Seq2Seq+前缀树:检索任务新范式(以KgCLUE为例)', '苏剑林', '2021-12-17', 64519],
      ['概率分布的熵归一化(Entropy Normalization)', '苏剑林', '2021-12-24', 46805],
      ['多任务学习漫谈(一):以损失之名', '苏剑林', '2022-01-18', 147046],
      ['生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼', '苏剑林', '2022-06-13', 379908],
    ]);
  });

  it('keeps sub-headings and LaTeX in excerpts, and drops the sidebar', () => {
    const entropy = posts[5]?.excerpt.split('\n') ?? [];
    expect(entropy[0]).toMatch(/^在上一篇文章《从熵不变性看Attention的Scale操作》中/);
    expect(entropy).toContain('幂次变换');
    expect(entropy.at(-1)).toBe('\\begin{equation}\\mathcal{H} = -\\sum_i p_i \\log p_i = \\mathbb{E}[-\\log p_i]\\end{equation}');
    expect(posts[7]?.excerpt.endsWith('让我们拭目以待。')).toBe(true);
    expect(posts.some((p) => p.excerpt.includes('最近评论'))).toBe(false);
    expect(diagnostics).toEqual([
      {
        code: 'SKIPPED_NOISE',
        severity: 'info',
        source: 'fixtures/seed.txt',
        line: 33,
        endLine: 33,
        detail: '1 line starting "最近评论"',
        args: { lines: 1, start: '最近评论' },
      },
    ]);
  });
});
