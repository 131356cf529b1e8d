import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * A synthetic dump in the seed's shape, the same bytes for the same size: a title line, a header with
 * the first paragraph glued after `引用`, more paragraphs (some sub-headings, LaTeX and `<eos>`), and
 * the sidebar at the end.
 */

const TITLES = [
  '【搜出来的文本】⋅(三)基于BERT的文本采样',
  'Seq2Seq重复解码现象的理论分析尝试',
  'Nyströmformer:基于矩阵分解的线性化Attention方案',
  'P-tuning:自动构建模版,释放语言模型潜能',
  'Seq2Seq+前缀树:检索任务新范式(以KgCLUE为例)',
  '概率分布的熵归一化(Entropy Normalization)',
  '多任务学习漫谈(一):以损失之名',
  '生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼',
  '流形上的最速下降:5. 对偶梯度下降',
];
const PARAGRAPHS = [
  '从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。而作为第一个例子,我们将介绍如何利用BERT来进行文本随机采样。所谓文本随机采样,就是从模型中随机地产生一些自然语言句子出来,通常的观点是这种随机采样是GPT2、GPT3这种单向自回归语言模型专有的功能。',
  '事实真的如此吗?当然不是。利用BERT的MLM模型其实也可以完成文本采样,事实上它就是上一篇文章所介绍的Gibbs采样。这一事实首先由论文《BERT has a Mouth, and It Must Speak》明确指出。',
  '标准Attention的$\\mathcal{O}(n^2)$复杂度可真是让研究人员头大。前段时间我们在博文《Performer:用随机投影将Attention的复杂度线性化》中介绍了Google的Performer模型,它通过随机投影的方式将标准Attention转化为线性Attention。',
  '经过学习,笔者发现该论文确实有不少可圈可点之处,值得一读。笔者对原论文中的分析过程做了一些精简、修正和推广,将结果记录成此文,供大家参考。',
  '从损失函数的层面看,多任务学习就是有多个损失函数$\\mathcal{L}_1,\\mathcal{L}_2,\\cdots,\\mathcal{L}_n$,一般情况下它们有大量的共享参数、少量的独立参数。',
  '\\begin{equation}\\mathcal{H} = -\\sum_i p_i \\log p_i = \\mathbb{E}[-\\log p_i]\\end{equation}',
  '解码时遇到<eos>就停止,这是"自回归"模型的常规做法,但它也带来了\\emph{重复解码}的问题。',
];
const SUBHEADINGS = ['幂次变换', '加权求和', '解码算法', '实验结果', '文章小结'];

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

/** Writes about `megabytes` MB to `path`; returns the number of posts. */
export async function generateDump(path: string, megabytes: number): Promise<number> {
  const random = mulberry32(20210122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const out = createWriteStream(path);
  const target = megabytes * 1e6;
  let written = 0;
  let posts = 0;
  let day = Date.UTC(2009, 0, 1);
  let text = '';
  while (written < target) {
    day += Math.floor(random() * 3) * 86_400_000;
    const date = new Date(day).toISOString().slice(0, 10);
    const readers = Math.floor(random() * 400_000);
    text += `${pick(TITLES)}\nBy 苏剑林 | ${date} | ${readers}位读者 | 引用${pick(PARAGRAPHS)}\n`;
    const more = 2 + Math.floor(random() * 4);
    for (let i = 0; i < more; i++) {
      if (random() < 0.2) text += `${pick(SUBHEADINGS)}\n`;
      text += `${pick(PARAGRAPHS)}\n`;
    }
    posts++;
    if (text.length > 1 << 16) {
      written += Buffer.byteLength(text);
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(`${text}最近评论\n苏剑林: 谢谢指出\n随机文章\n« 1 2 3 »\n`);
  await once(out, 'finish');
  return posts;
}
