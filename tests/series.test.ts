/** Series and part from titles (src/parse/series.ts): the examples are the spec. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seriesOf } from '../src/parse/series.js';

const CHINESE = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1..99 in Chinese numerals, written out independently of the parser: 十, 十一, 二十, 九十九. */
function chinese(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  if (tens === 0) return CHINESE[ones] as string;
  return `${tens === 1 ? '' : CHINESE[tens]}十${CHINESE[ones]}`;
}

describe('seriesOf', () => {
  it.each([
    // The examples.
    ['生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼', '生成扩散模型漫谈', 1],
    ['【搜出来的文本】⋅(三)基于BERT的文本采样', '搜出来的文本', 3],
    ['流形上的最速下降:5. 对偶梯度下降', '流形上的最速下降', 5],
    ['多任务学习漫谈(一):以损失之名', '多任务学习漫谈', 1],
    // Full-width brackets and colon, as the site often writes them.
    ['生成扩散模型漫谈（二）：DDPM = 自回归式VAE', '生成扩散模型漫谈', 2],
    ['变分自编码器（一）：原来是这么一回事', '变分自编码器', 1],
    // Two-character and the largest Chinese numerals.
    ['多任务学习漫谈(十二):虚构', '多任务学习漫谈', 12],
    ['漫谈(十):x', '漫谈', 10],
    ['漫谈(二十):x', '漫谈', 20],
    ['漫谈(九十九):x', '漫谈', 99],
    // Arabic in brackets; numbered after a colon with `.` or `、`.
    ['漫谈(7):x', '漫谈', 7],
    ['Transformer升级之路：10、RoPE是一种β进制编码', 'Transformer升级之路', 10],
    ['Steepest Descent on Manifolds: 5. Muon on the Stiefel Manifold', 'Steepest Descent on Manifolds', 5],
    ['流形上的最速下降：二、对偶', '流形上的最速下降', 2],
    // A part at the very end, and white space inside the brackets.
    ['从熵不变性看Attention的Scale操作(二)', '从熵不变性看Attention的Scale操作', 2],
    ['漫谈 ( 三 ) :x', '漫谈', 3],
    // Other decorative brackets around the name.
    ['《某系列》·(四)标题', '某系列', 4],
  ])('%s → %s, part %i', (title, series, part) => {
    expect(seriesOf(title)).toEqual({ series, part });
  });

  it.each([
    'Seq2Seq+前缀树:检索任务新范式(以KgCLUE为例)',
    '概率分布的熵归一化(Entropy Normalization)',
    'P-tuning:自动构建模版,释放语言模型潜能',
    'Nyströmformer:基于矩阵分解的线性化Attention方案',
    // No name before the part.
    '(一)开篇',
    '：3. 无名',
    // Out of range or not a numeral: 一百, 零, a year, 0.
    '漫谈(一百):x',
    '漫谈(零):x',
    '回顾(2021):x',
    '漫谈(0):x',
    '漫谈(十十):x',
    // A decimal after a colon is not a part; nor is a number without `.` or `、` after it.
    '效果:1.5倍的提升',
    'GPT-3: 175B参数',
    '',
  ])('%j has no series', (title) => {
    expect(seriesOf(title)).toBeNull();
  });

  it('the first bracketed number wins', () => {
    expect(seriesOf('漫谈(二):回顾(一)')).toEqual({ series: '漫谈', part: 2 });
    expect(seriesOf('BERT(双向)模型漫谈(三):x')).toEqual({ series: 'BERT(双向)模型漫谈', part: 3 });
  });

  it('property: NAME(N):REST gives NAME and N for every N from 一 to 九十九 and any name without brackets', () => {
    const name = fc
      .string({ unit: fc.constantFrom('漫', '谈', '模', '型', 'A', 'b', '-', ' ', '1', '.'), minLength: 1, maxLength: 12 })
      .filter((s) => /^[^\s.-].*[^\s.-]$|^[^\s.-]$/u.test(s));
    fc.assert(
      fc.property(name, fc.integer({ min: 1, max: 99 }), fc.boolean(), fc.string({ maxLength: 10 }), (n, part, wide, rest) => {
        const [open, close, colon] = wide ? ['（', '）', '：'] : ['(', ')', ':'];
        expect(seriesOf(`${n}${open}${chinese(part)}${close}${colon}${rest}`)).toEqual({ series: n, part });
        expect(seriesOf(`${n}${open}${part}${close}${rest}`)).toEqual({ series: n, part });
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('chinese() above is a faithful writer of numerals (sanity check of the test itself)', () => {
    expect([1, 9, 10, 11, 19, 20, 21, 99].map(chinese)).toEqual(['一', '九', '十', '十一', '十九', '二十', '二十一', '九十九']);
  });
});
