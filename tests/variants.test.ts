/**
 * SPEC §2, one fixture per text-dump variant or noise case (fixtures/variants/*.txt).
 *
 * For each fixture: the whole `{ posts, diagnostics }` against its golden file
 * (fixtures/variants/NAME.expected.json, checked by hand), explicit assertions of what the variant is
 * about, and the same result whatever the chunking (parseStream fed 1 byte, then 7 bytes at a time),
 * and every non-blank input line in exactly one post span or skipped range (SPEC §8, tests/helpers/conservation.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseStream, type Diagnostic, type ParseResult, type Post } from '../src/index.js';
import { unaccounted } from './helpers/conservation.js';
import { FIELDS } from './helpers/read-back.js';

const DIR = 'fixtures/variants';
const covered = new Set<string>();

interface Loaded {
  source: string;
  bytes: Buffer;
  result: ParseResult;
}

function load(name: string): Loaded {
  const source = `${DIR}/${name}.txt`;
  const bytes = readFileSync(new URL(`../${source}`, import.meta.url));
  return { source, bytes, result: parse(bytes, { source }) };
}

async function streamed(bytes: Uint8Array, size: number, source: string, encoding?: string): Promise<ParseResult> {
  const diagnostics: Diagnostic[] = [];
  const posts: Post[] = [];
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
  }
  const options = { source, onDiagnostic: (d: Diagnostic) => diagnostics.push(d), ...(encoding === undefined ? {} : { encoding }) };
  for await (const post of parseStream(chunks(), options)) posts.push(post);
  return { posts, diagnostics };
}

/** [title, author, date, readers, line] of each post: the part of a record a reader checks first. */
function summary(posts: Post[]): [string, string, string, number | null, number][] {
  return posts.map((p) => [p.title, p.author, p.date, p.readers, p.line]);
}

function excerpts(posts: Post[]): string[] {
  return posts.map((p) => p.excerpt);
}

function codes(diagnostics: Diagnostic[]): [string, string, number | null, number | null][] {
  return diagnostics.map((d) => [d.code, d.severity, d.line, d.endLine]);
}

/**
 * Declares the shared tests of one fixture (golden file, record shape, chunk-boundary invariance,
 * nothing lost silently), then runs `specific` for the assertions that document the variant.
 */
function variant(name: string, what: string, specific: (r: ParseResult, source: string) => void): void {
  covered.add(`${name}.txt`);
  describe(`${name}.txt: ${what}`, () => {
    const { source, bytes, result } = load(name);

    it('matches its golden file', async () => {
      await expect(`${JSON.stringify(result, null, 2)}\n`).toMatchFileSnapshot(`../${DIR}/${name}.expected.json`);
    });

    it('gives records of the one shape: keys in order, url/id null, source as given', () => {
      for (const post of result.posts) {
        expect(Object.keys(post)).toEqual(FIELDS);
        expect(post.url).toBeNull();
        expect(post.id).toBeNull();
        expect(post.source).toBe(source);
        expect(post.title).toBe(post.title.trim());
        expect(post.title).not.toBe('');
        expect(post.excerpt).not.toMatch(/\r/);
      }
      for (const d of result.diagnostics) expect(d.source).toBe(source);
    });

    it.each([
      ['one byte', 1, undefined],
      ['7 bytes', 7, undefined],
      ['one byte, encoding utf-8', 1, 'utf-8'],
      ['7 bytes, encoding utf-8', 7, 'utf-8'],
    ] as const)('gives the same posts and diagnostics through parseStream fed %s at a time', async (_label, size, encoding) => {
      expect(await streamed(bytes, size, source, encoding)).toEqual(result);
    });

    it('gives the same result from a string', () => {
      expect(parse(bytes.toString('utf8'), { source })).toEqual(result);
    });

    it('loses no non-blank line silently: each is in exactly one post span (title, header, excerpt) or one skipped range', () => {
      expect(unaccounted(bytes.toString('utf8'), result)).toEqual([]);
    });

    specific(result, source);
  });
}

variant('full-width-bar', 'headers with the full-width bar ｜, alone or mixed with |', ({ posts, diagnostics }) => {
  it('parses every header and glues no bar to the fields', () => {
    expect(summary(posts)).toEqual([
      ['从几何视角来理解模型参数的初始化策略', '苏剑林', '2020-01-16', 77215, 2],
      ['浅谈Transformer的初始化、参数化与标准化', '苏剑林', '2021-08-17', 105132, 5],
      ['为什么Pre Norm的效果不如Post Norm?', '苏剑林', '2022-03-29', 86744, 7],
    ]);
    expect(excerpts(posts)).toEqual([
      [
        '对于复杂模型来说,参数的初始化显得尤为重要。糟糕的初始化,很多时候已经不单是模型效果变差的问题了,还更有可能是模型根本训练不动或者不收敛。',
        '在深度学习中常见的自适应初始化策略是Xavier初始化,它是从正态分布$\\mathcal{N}\\left(0,\\frac{2}{fan_{in} + fan_{out}}\\right)$中随机采样而构成的初始权重。',
      ].join('\n'),
      '前几天在训练一个新的Transformer模型的时候,发现怎么训都不收敛了。经过一番debug,发现是在做Self Attention的时候$\\boldsymbol{Q}\\boldsymbol{K}^{\\top}$之后忘记除以$\\sqrt{d}$了。',
      'Pre Norm与Post Norm之间的对比是一个“老生常谈”的话题了,本博客就多次讨论过这个问题,比如文章《浅谈Transformer的初始化、参数化与标准化》和《模型优化漫谈:BERT的初始标准差为什么是0.02?》等。',
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('whitespace-around-bars', 'runs of spaces, tabs, NBSP and U+3000 around bars and before By', ({ posts, diagnostics }) => {
  it('parses the fields whatever white space surrounds them', () => {
    expect(summary(posts)).toEqual([
      ['Transformer升级之路:1、Sinusoidal位置编码追根溯源', '苏剑林', '2021-03-08', 66340, 2],
      ['Transformer升级之路:2、博采众长的旋转式位置编码', '苏剑林', '2021-03-23', 101535, 5],
      ['Transformer升级之路:3、从Performer到线性Attention', '苏剑林', '2021-04-22', 35021, 7],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('drops the white space after 引用 but keeps paragraph lines verbatim (trailing spaces, U+3000 indent)', () => {
    expect(posts[0]?.excerpt.split('\n')[1]).toBe(
      '作为该专题的第一篇文章,笔者将会介绍自己对Google在《Attention is All You Need》中提出来的Sinusoidal位置编码的新理解。  ',
    );
    expect(posts[1]?.excerpt).toBe(
      '上一篇文章中,我们对原始的Sinusoidal位置编码做了较为详细的推导和理解,总的感觉是Sinusoidal位置编码是一种“想要成为相对位置编码的绝对位置编码”。',
    );
    expect(posts[2]?.excerpt).toBe(
      [
        '看过笔者之前的文章《线性Attention的探索:Attention必须有个Softmax吗?》和《Performer:用随机投影将Attention的复杂度线性化》的读者,可能会觉得本系列的标题有点不自然。',
        '\u3000\u3000本文讨论的是线性Attention,它与Performer的关系留待后文分析。',
      ].join('\n'),
    );
  });
});

variant('thousands-separator', 'reader counts with thousands separators', ({ posts, diagnostics }) => {
  it('reads 81,957 as 81957 (and 1,101,535 as 1101535)', () => {
    expect(posts.map((p) => p.readers)).toEqual([81957, 379908, 1101535]);
    expect(posts.map((p) => p.title)).toEqual([
      '【搜出来的文本】⋅(三)基于BERT的文本采样',
      '生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼',
      'Transformer升级之路:2、博采众长的旋转式位置编码',
    ]);
    expect(posts[0]?.excerpt).toBe('从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。');
    expect(diagnostics).toEqual([]);
  });
});

variant('no-cite', 'headers without 引用: after the bar, right after the bar, no last bar', ({ posts, diagnostics }) => {
  it('starts each excerpt with the first paragraph as written', () => {
    expect(summary(posts)).toEqual([
      ['Nyströmformer:基于矩阵分解的线性化Attention方案', '苏剑林', '2021-02-16', 43847, 2],
      ['P-tuning:自动构建模版,释放语言模型潜能', '苏剑林', '2021-04-03', 142586, 5],
      ['多任务学习漫谈(一):以损失之名', '苏剑林', '2022-01-18', 147046, 7],
    ]);
    expect(excerpts(posts)).toEqual([
      '标准Attention的$\\mathcal{O}(n^2)$复杂度可真是让研究人员头大。\n该方案写的是Nyström-Based,顾名思义是利用了Nyström方法来近似标准Attention的。',
      '在之前的文章《必须要GPT3吗?不,BERT的MLM模型也能小样本学习》中,我们介绍了一种名为Pattern-Exploiting Training(PET)的方法。',
      '能提升模型性能的方法有很多,多任务学习(Multi-Task Learning)也是其中一种。',
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('nothing-after-last-bar', 'headers ending at the last bar (or at 引用, or at 位读者); first paragraph on the next line', ({ posts, diagnostics }) => {
  it('takes the first paragraph from the next line', () => {
    expect(summary(posts)).toEqual([
      ['P-tuning:自动构建模版,释放语言模型潜能', '苏剑林', '2021-04-03', 142586, 2],
      ['Seq2Seq+前缀树:检索任务新范式(以KgCLUE为例)', '苏剑林', '2021-12-17', 64519, 6],
      ['概率分布的熵归一化(Entropy Normalization)', '苏剑林', '2021-12-24', 46805, 9],
    ]);
    expect(excerpts(posts)).toEqual([
      [
        '在之前的文章《必须要GPT3吗?不,BERT的MLM模型也能小样本学习》中,我们介绍了一种名为Pattern-Exploiting Training(PET)的方法。',
        '最近Arxiv上的论文《GPT Understands, Too》提出了名为P-tuning的方法,成功地实现了模版的自动构建。',
      ].join('\n'),
      '两年前,在《万能的seq2seq:基于seq2seq的阅读理解问答》和《“非自回归”也不差:基于MLM的阅读理解问答》中,我们尝试过分别利用“Seq2Seq+前缀树”和“MLM+前缀树”的方式做抽取式阅读理解任务。',
      '在上一篇文章《从熵不变性看Attention的Scale操作》中,我们从熵不变性的角度推导了一个新的Attention Scale。',
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('english-header', 'the English site: By Jianlin Su | 2026-03-19 | 5246 readers |', ({ posts, diagnostics }) => {
  it('reads the author, readers (plural and singular, with separators) and excerpts', () => {
    expect(summary(posts)).toEqual([
      ['Steepest Descent on Manifolds: 5. Muon on the Stiefel Manifold', 'Jianlin Su', '2026-03-19', 5246, 2],
      ['Why Is the Default Norm for Gradient Clipping 1?', 'Jianlin Su', '2026-03-21', 1, 6],
      ['By Analogy: Attention as a Kernel Smoother', 'Jianlin Su', '2026-03-25', 12480, 8],
    ]);
    expect(excerpts(posts)).toEqual([
      [
        'In the previous articles we derived the steepest descent direction under a spectral norm constraint for unconstrained matrices.',
        'This time the parameter must stay on the Stiefel manifold, $\\boldsymbol{W}^{\\top}\\boldsymbol{W} = \\boldsymbol{I}$, and the answer still has a closed form.',
      ].join('\n'),
      'Gradient clipping is one of the oldest tricks for stabilizing training, and most frameworks default the threshold to 1.',
      'Kernel smoothing predates attention by half a century, and the analogy is more than a curiosity.',
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('blank-lines-before-header', 'blank lines (and a spaces-only line) between title and header; leading blank lines', ({ posts, diagnostics }) => {
  it('takes the nearest non-blank line above the header as the title', () => {
    expect(summary(posts)).toEqual([
      ['从动力学角度看优化算法(一):从SGD到动量加速', '苏剑林', '2018-06-27', 52108, 5],
      ['从动力学角度看优化算法(二):自适应学习率算法', '苏剑林', '2018-08-28', 32519, 10],
    ]);
    expect(posts[1]?.excerpt).toBe(
      '在《从动力学角度看优化算法SGD:一些小启示》中,我们提到了SGD的优化过程可以用一个动力系统来描述。\n本文接着讨论自适应学习率算法。',
    );
  });

  it('reports nothing: blank lines are not noise', () => {
    expect(diagnostics).toEqual([]);
  });
});

variant('crlf', 'CRLF line endings', ({ posts, diagnostics }) => {
  it('strips CR from titles and excerpts and counts lines as LF would', () => {
    expect(summary(posts)).toEqual([
      ['Seq2Seq重复解码现象的理论分析尝试', '苏剑林', '2021-01-26', 31392, 2],
      ['Nyströmformer:基于矩阵分解的线性化Attention方案', '苏剑林', '2021-02-16', 43847, 7],
    ]);
    expect(excerpts(posts)).toEqual([
      [
        '去年笔者写过博文《如何应对Seq2Seq中的“根本停不下来”问题?》,里边介绍了一篇论文中对Seq2Seq解码不停止现象的处理。',
        '解码算法',
        '经过学习,笔者发现该论文确实有不少可圈可点之处,值得一读。',
      ].join('\n'),
      '标准Attention的$\\mathcal{O}(n^2)$复杂度可真是让研究人员头大。\n该方案写的是Nyström-Based,顾名思义是利用了Nyström方法来近似标准Attention的。',
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('lone-cr', 'lone CR line endings (old Mac)', ({ posts, diagnostics }) => {
  it('splits lines on CR alone', () => {
    expect(summary(posts)).toEqual([
      ['P-tuning:自动构建模版,释放语言模型潜能', '苏剑林', '2021-04-03', 142586, 2],
      ['Seq2Seq+前缀树:检索任务新范式(以KgCLUE为例)', '苏剑林', '2021-12-17', 64519, 6],
    ]);
    expect(excerpts(posts)).toEqual([
      [
        '在之前的文章《必须要GPT3吗?不,BERT的MLM模型也能小样本学习》中,我们介绍了一种名为Pattern-Exploiting Training(PET)的方法。',
        '最近Arxiv上的论文《GPT Understands, Too》提出了名为P-tuning的方法,成功地实现了模版的自动构建。',
      ].join('\n'),
      [
        '两年前,我们尝试过分别利用“Seq2Seq+前缀树”和“MLM+前缀树”的方式做抽取式阅读理解任务。',
        '事实上,“Seq2Seq+前缀树”的组合理论上可以用到任意检索型任务中,堪称是检索任务的“新范式”。',
      ].join('\n'),
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('bom', 'a UTF-8 byte order mark', ({ posts, diagnostics }) => {
  it('drops the BOM: the first title is clean and the first header is line 2', () => {
    expect(summary(posts)).toEqual([
      ['概率分布的熵归一化(Entropy Normalization)', '苏剑林', '2021-12-24', 46805, 2],
      ['多任务学习漫谈(一):以损失之名', '苏剑林', '2022-01-18', 147046, 6],
    ]);
    expect(posts[0]?.title.codePointAt(0)).toBe('概'.codePointAt(0));
    expect(posts[0]?.excerpt.split('\n')).toEqual([
      '在上一篇文章《从熵不变性看Attention的Scale操作》中,我们从熵不变性的角度推导了一个新的Attention Scale。',
      '幂次变换',
      '首先,假设$n$元分布$(p_1,p_2,\\cdots,p_n)$,它的熵定义为',
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('blank-lines-between-paragraphs', 'blank lines, NBSP-only, U+3000-only and tab lines between paragraphs', ({ posts, diagnostics }) => {
  it('drops every blank line, keeps each paragraph once, joined with \\n', () => {
    expect(summary(posts)).toEqual([
      ['多任务学习漫谈(一):以损失之名', '苏剑林', '2022-01-18', 147046, 2],
      ['多任务学习漫谈(二):行梯度之事', '苏剑林', '2022-02-08', 61203, 14],
    ]);
    expect(excerpts(posts)).toEqual([
      [
        '能提升模型性能的方法有很多,多任务学习(Multi-Task Learning)也是其中一种。',
        '最近,笔者机缘巧合之下,也进行了一些多任务学习的尝试,借机也学习了相关内容,在此挑部分结果与大家交流和讨论。',
        '加权求和',
        '从损失函数的层面看,多任务学习就是有多个损失函数$\\mathcal{L}_1,\\mathcal{L}_2,\\cdots,\\mathcal{L}_n$。',
      ].join('\n'),
      ['在《多任务学习漫谈(一):以损失之名》中,我们从损失函数的角度初步探讨了多任务学习问题。', '本文则从梯度的角度来理解多任务学习。'].join('\n'),
    ]);
    expect(diagnostics).toEqual([]);
  });
});

variant('page-chrome', 'site header and navigation before the first title', ({ posts, diagnostics }, source) => {
  it('skips the chrome and reports it as one range from its first to its last non-blank line', () => {
    expect(summary(posts)).toEqual([
      ['生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼', '苏剑林', '2022-06-13', 379908, 9],
      ['生成扩散模型漫谈(二):DDPM = 自回归式VAE', '苏剑林', '2022-07-06', 214572, 11],
    ]);
    expect(diagnostics).toEqual([
      {
        code: 'SKIPPED_NOISE',
        severity: 'info',
        source,
        line: 1,
        endLine: 7,
        detail: '7 lines starting "科学空间|Scientific Spaces"',
        args: { lines: 7, start: '科学空间|Scientific Spaces' },
      },
    ]);
  });
});

variant('sidebar-noise', 'the sidebar after the last excerpt: comments, random posts, tags, links, pagination', ({ posts, diagnostics }, source) => {
  it('ends the last post at 最近评论 and keeps its sub-heading', () => {
    expect(summary(posts)).toEqual([
      ['从熵不变性看Attention的Scale操作', '苏剑林', '2021-12-21', 94113, 2],
      ['概率分布的熵归一化(Entropy Normalization)', '苏剑林', '2021-12-24', 46805, 4],
    ]);
    expect(posts[1]?.excerpt).toBe('在上一篇文章《从熵不变性看Attention的Scale操作》中,我们从熵不变性的角度推导了一个新的Attention Scale。\n幂次变换');
  });

  it('takes none of the post-title-like sidebar lines for a post', () => {
    const all = posts.map((p) => `${p.title}\n${p.excerpt}`).join('\n');
    for (const noise of ['最近评论', '随机文章', '从动力学角度看优化算法', '热门标签', '友情链接', 'Cool Papers', '«', '点击加载更多']) {
      expect(all).not.toContain(noise);
    }
  });

  it('reports the whole sidebar as one skipped range', () => {
    expect(diagnostics).toEqual([
      { code: 'SKIPPED_NOISE', severity: 'info', source, line: 6, endLine: 19, detail: '14 lines starting "最近评论"', args: { lines: 14, start: '最近评论' } },
    ]);
  });
});

variant('two-pages', 'two listing pages in one file: chrome, posts, pagination + sidebar, chrome, posts, load-more', ({ posts, diagnostics }, source) => {
  it('gives the posts of both pages', () => {
    expect(summary(posts)).toEqual([
      ['从几何视角来理解模型参数的初始化策略', '苏剑林', '2020-01-16', 77215, 4],
      ['浅谈Transformer的初始化、参数化与标准化', '苏剑林', '2021-08-17', 105132, 6],
      ['模型优化漫谈:BERT的初始标准差为什么是0.02?', '苏剑林', '2021-11-08', 56109, 16],
      ['为什么Pre Norm的效果不如Post Norm?', '苏剑林', '2022-03-29', 86744, 18],
    ]);
    expect(posts[1]?.excerpt).toBe('前几天在训练一个新的Transformer模型的时候,发现怎么训都不收敛了。');
    expect(posts[3]?.excerpt).toBe('Pre Norm与Post Norm之间的对比是一个“老生常谈”的话题了。');
  });

  it('skips page 1 chrome, the noise between the pages (pagination to page 2 chrome), and the trailing load-more', () => {
    expect(diagnostics).toEqual([
      {
        code: 'SKIPPED_NOISE',
        severity: 'info',
        source,
        line: 1,
        endLine: 2,
        detail: '2 lines starting "科学空间|Scientific Spaces"',
        args: { lines: 2, start: '科学空间|Scientific Spaces' },
      },
      {
        code: 'SKIPPED_NOISE',
        severity: 'info',
        source,
        line: 7,
        endLine: 14,
        detail: '8 lines starting "‹ 上一页 1 2 3 下一页 ›"',
        args: { lines: 8, start: '‹ 上一页 1 2 3 下一页 ›' },
      },
      {
        code: 'SKIPPED_NOISE',
        severity: 'info',
        source,
        line: 19,
        endLine: 19,
        detail: '1 line starting "点击加载更多"',
        args: { lines: 1, start: '点击加载更多' },
      },
    ]);
  });
});

variant('noise-lines', 'each sidebar heading and pagination form ends a post; look-alikes do not', ({ posts, diagnostics }, source) => {
  it('ends posts at 最新评论, 热门标签, 友情链接 and a two-number pagination bar', () => {
    expect(summary(posts)).toEqual([
      ['从熵不变性看Attention的Scale操作', '苏剑林', '2021-12-21', 94113, 2],
      ['概率分布的熵归一化(Entropy Normalization)', '苏剑林', '2021-12-24', 46805, 6],
      ['多任务学习漫谈(一):以损失之名', '苏剑林', '2022-01-18', 147046, 10],
      ['多任务学习漫谈(二):行梯度之事', '苏剑林', '2022-02-08', 61203, 18],
    ]);
    expect(diagnostics).toEqual([
      { code: 'SKIPPED_NOISE', severity: 'info', source, line: 3, endLine: 4, detail: '2 lines starting "最新评论"', args: { lines: 2, start: '最新评论' } },
      { code: 'SKIPPED_NOISE', severity: 'info', source, line: 7, endLine: 8, detail: '2 lines starting "热门标签"', args: { lines: 2, start: '热门标签' } },
      { code: 'SKIPPED_NOISE', severity: 'info', source, line: 15, endLine: 16, detail: '2 lines starting "友情链接"', args: { lines: 2, start: '友情链接' } },
      { code: 'SKIPPED_NOISE', severity: 'info', source, line: 19, endLine: 21, detail: '3 lines starting "1 2"', args: { lines: 3, start: '1 2' } },
    ]);
  });

  it('keeps an ellipsis line and a lone number (sub-heading) as excerpt text', () => {
    expect(posts[2]?.excerpt.split('\n')).toEqual([
      '能提升模型性能的方法有很多,多任务学习也是其中一种。',
      '……',
      '加权求和',
      '2',
      '在这个视角下,多任务学习的主要难点就是如何确定各个权重了。',
    ]);
  });

  it('never takes a sidebar heading for a title, even with a header after it: the header is noise there, no warning (SPEC §10)', () => {
    expect(posts.map((p) => p.title)).not.toContain('随机文章');
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});

variant('truncated', 'a dump cut mid-sentence, without a final newline', ({ posts, diagnostics }) => {
  it('keeps what is there of the last post', () => {
    expect(summary(posts)).toEqual([
      ['Seq2Seq重复解码现象的理论分析尝试', '苏剑林', '2021-01-26', 31392, 2],
      ['Nyströmformer:基于矩阵分解的线性化Attention方案', '苏剑林', '2021-02-16', 43847, 4],
    ]);
    expect(posts[1]?.excerpt).toBe(
      '标准Attention的$\\mathcal{O}(n^2)$复杂度可真是让研究人员头大。\n该方案写的是Nyström-Based,顾名思义是利用了Nyström方法来近似标准Atten',
    );
    expect(diagnostics).toEqual([]);
  });
});

variant('broken-headers', 'header-like lines that do not parse: bad dates, missing count, no By, no author', ({ posts, diagnostics }) => {
  it('warns at each broken header line with the reason', () => {
    // Line 1, `本站共有1234位读者订阅`, is prose (no bar before the count): page chrome, not a broken header.
    expect(codes(diagnostics)).toEqual([
      ['SKIPPED_NOISE', 'info', 1, 1],
      ['BROKEN_HEADER', 'warning', 5, null],
      ['BROKEN_HEADER', 'warning', 7, null],
      ['BROKEN_HEADER', 'warning', 11, null],
      ['BROKEN_HEADER', 'warning', 13, null],
      ['BROKEN_HEADER', 'warning', 15, null],
      ['BROKEN_HEADER', 'warning', 17, null],
      ['BROKEN_HEADER', 'warning', 19, null],
    ]);
    const detail = (line: number) => diagnostics.find((d) => d.code === 'BROKEN_HEADER' && d.line === line)?.detail;
    expect(detail(5)).toContain('2021-13-45');
    expect(detail(7)).toContain('2021-02-30');
    expect(detail(15)).toMatch(/reader count/);
    expect(detail(17)).toContain('147,04,6');
    expect(detail(19)).toMatch(/author/);
  });

  it('never takes a broken header for a post or the line above it for a title', () => {
    expect(summary(posts)).toEqual([
      ['【搜出来的文本】⋅(三)基于BERT的文本采样', '苏剑林', '2021-01-22', 81957, 3],
      ['素数之美', '苏剑林', '2020-02-29', 12034, 9],
    ]);
  });

  it('keeps broken headers, and the lines above them, verbatim as excerpt text', () => {
    expect(excerpts(posts)).toEqual([
      [
        '从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。',
        'Seq2Seq重复解码现象的理论分析尝试',
        'By 苏剑林 | 2021-13-45 | 31392位读者 | 引用去年笔者写过博文,里边介绍了一篇论文中对Seq2Seq解码不停止现象的处理。',
        'Nyströmformer:基于矩阵分解的线性化Attention方案',
        'By 苏剑林 | 2021-02-30 | 43847位读者 | 引用标准Attention的复杂度可真是让研究人员头大。',
      ].join('\n'),
      [
        '闰年的2月29日是一个真实的日期,未补零的月份和日期也照样接受。',
        'P-tuning:自动构建模版,释放语言模型潜能',
        'By 苏剑林 | 2021-04-03 | 引用在之前的文章中,我们介绍了一种名为Pattern-Exploiting Training(PET)的方法。',
        'Seq2Seq+前缀树:检索任务新范式(以KgCLUE为例)',
        '苏剑林 | 2021-12-17 | 64519位读者 | 引用两年前,我们尝试过利用“Seq2Seq+前缀树”的方式做抽取式阅读理解任务。',
        '概率分布的熵归一化(Entropy Normalization)',
        'By 苏剑林 | 2021-12-24 | 位读者 | 引用在上一篇文章中,我们从熵不变性的角度推导了一个新的Attention Scale。',
        '多任务学习漫谈(一):以损失之名',
        'By 苏剑林 | 2022-01-18 | 147,04,6位读者 | 引用能提升模型性能的方法有很多。',
        '生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼',
        'By  | 2022-06-13 | 379908位读者 | 引用说到生成模型,VAE、GAN可谓是“如雷贯耳”。',
      ].join('\n'),
    ]);
  });
});

variant('header-without-title', 'headers with no title line: at the top, right after a header, after a broken header', ({ posts, diagnostics }) => {
  it('warns NO_TITLE at each such header', () => {
    expect(codes(diagnostics)).toEqual([
      ['NO_TITLE', 'warning', 1, null],
      ['SKIPPED_NOISE', 'info', 1, 2],
      ['NO_TITLE', 'warning', 6, null],
      ['BROKEN_HEADER', 'warning', 10, null],
      ['NO_TITLE', 'warning', 11, null],
    ]);
  });

  it('skips a title-less header before the first post, and keeps later ones as excerpt text', () => {
    expect(summary(posts)).toEqual([
      ['Seq2Seq重复解码现象的理论分析尝试', '苏剑林', '2021-01-26', 31392, 4],
      ['P-tuning:自动构建模版,释放语言模型潜能', '苏剑林', '2021-04-03', 142586, 9],
    ]);
    expect(excerpts(posts)).toEqual([
      [
        '去年笔者写过博文,里边介绍了一篇论文中对Seq2Seq解码不停止现象的处理。',
        'By 苏剑林 | 2021-02-16 | 43847位读者 | 引用标准Attention的复杂度可真是让研究人员头大。',
        '该方案写的是Nyström-Based,顾名思义是利用了Nyström方法来近似标准Attention的。',
      ].join('\n'),
      [
        '在之前的文章中,我们介绍了一种名为PET的方法。',
        'By 苏剑林 | 2021-13-03 | 100位读者 | 引用这一行的日期不存在。',
        'By 苏剑林 | 2021-12-17 | 64519位读者 | 引用两年前,我们尝试过利用“Seq2Seq+前缀树”的方式做抽取式阅读理解任务。',
      ].join('\n'),
    ]);
  });

  it('quotes the start of a long skipped first line without cutting a character in half', () => {
    const detail = diagnostics.find((d) => d.code === 'SKIPPED_NOISE')?.detail ?? '';
    expect(detail).toMatch(/^2 lines starting "By 苏剑林 \| 2021-01-22 \| 81957位读者 \| 引用从这一篇开始/);
    expect(detail).not.toContain('\uFFFD');
  });
});

variant('excerpt-content', 'excerpts with sub-headings, $..$ and multi-line LaTeX, <eos>, bars, and a prose line starting "By "', ({ posts, diagnostics }) => {
  it('keeps all of it byte for byte, as excerpt text', () => {
    expect(summary(posts)).toEqual([
      ['Seq2Seq重复解码现象的理论分析尝试', '苏剑林', '2021-01-26', 31392, 2],
      ['概率分布的熵归一化(Entropy Normalization)', '苏剑林', '2021-12-24', 46805, 11],
    ]);
    expect(posts[0]?.excerpt.split('\n')).toEqual([
      '对于条件概率$p(y_t|\\boldsymbol{y}_{<t}, \\boldsymbol{x})$,我们来分析解码过程为何会陷入重复。',
      '解码算法',
      '在解码时,模型每一步输出一个token,直到输出<eos>为止,比如“我 爱 你 <eos>”。',
      'By the way,这里的贪心搜索也可以换成Beam Search,结论不变。',
      '| 解码方式 | 重复率 |',
      '\\begin{equation}',
      'p(\\boldsymbol{y}|\\boldsymbol{x}) = \\prod_{t=1}^{l} p(y_t|\\boldsymbol{y}_{<t}, \\boldsymbol{x})',
      '\\end{equation}',
    ]);
    expect(posts[1]?.excerpt.split('\n')).toEqual([
      '感谢各位读者的反馈,本文补充了一些推导。',
      '幂次变换',
      '首先,假设$n$元分布$(p_1,p_2,\\cdots,p_n)$,它的熵定义为',
      '\\begin{equation}\\mathcal{H} = -\\sum_i p_i \\log p_i = \\mathbb{E}[-\\log p_i]\\end{equation}',
      '其中*不*是Markdown强调,#也不是标题,而$\\|\\boldsymbol{x}\\|_2$是范数。',
    ]);
  });

  it('warns about nothing: a "By " prose line without bars and "各位读者" without a digit are text', () => {
    expect(diagnostics).toEqual([]);
  });
});

variant('text-without-posts', 'text that holds no post', ({ posts, diagnostics }, source) => {
  it('gives no post, reports the text as skipped and a NO_POSTS error', () => {
    expect(posts).toEqual([]);
    expect(diagnostics).toEqual([
      {
        code: 'SKIPPED_NOISE',
        severity: 'info',
        source,
        line: 1,
        endLine: 4,
        detail: '4 lines starting "科学空间|Scientific Spaces"',
        args: { lines: 4, start: '科学空间|Scientific Spaces' },
      },
      { code: 'NO_POSTS', severity: 'error', source, line: null, endLine: null, detail: '', args: { in: 'text' } },
    ]);
  });
});

variant('empty', 'an empty file (0 bytes)', ({ posts, diagnostics }, source) => {
  it('gives no post and an EMPTY_INPUT error', () => {
    expect(posts).toEqual([]);
    expect(diagnostics).toEqual([{ code: 'EMPTY_INPUT', severity: 'error', source, line: null, endLine: null, detail: '', args: {} }]);
  });
});

variant('whitespace-only', 'spaces, tabs, NBSP, U+3000 and CRLF only', ({ posts, diagnostics }, source) => {
  it('gives no post and an EMPTY_INPUT error (not NO_POSTS, no skipped range)', () => {
    expect(posts).toEqual([]);
    expect(diagnostics).toEqual([{ code: 'EMPTY_INPUT', severity: 'error', source, line: null, endLine: null, detail: '', args: {} }]);
  });
});

describe('a line with a reader count that does not parse', () => {
  it('is a BROKEN_HEADER when a bar precedes the count, wherever the count sits in the line', () => {
    const prose = '这是一段很长的正文。'.repeat(20); // 600 bytes
    const input = [
      '标题',
      'By 苏剑林 | 2021-01-22 | 1位读者 | 引用正文',
      `${prose} | 共有1000位读者参与了讨论。`,
      '短文本 | 共有1000位读者参与了讨论。',
      '',
    ].join('\n');
    const { diagnostics } = parse(input, { source: 'long.txt' });
    expect(codes(diagnostics)).toEqual([
      ['BROKEN_HEADER', 'warning', 3, null],
      ['BROKEN_HEADER', 'warning', 4, null],
    ]);
  });

  it('is plain prose without a bar before the count', () => {
    const prose = '这是一段很长的正文。'.repeat(20);
    const input = ['标题', 'By 苏剑林 | 2021-01-22 | 1位读者 | 引用正文', `${prose}共有1000位读者参与了讨论。`, '本站共有1234位读者订阅', ''].join('\n');
    const { posts, diagnostics } = parse(input, { source: 'long.txt' });
    expect(diagnostics).toEqual([]);
    expect(posts[0]?.excerpt.split('\n')).toHaveLength(3);
  });
});

describe('the variant fixtures', () => {
  it('each have a test above', () => {
    const files = readdirSync(new URL(`../${DIR}`, import.meta.url)).filter((f) => f.endsWith('.txt'));
    expect(files.sort()).toEqual([...covered].sort());
  });
});
