/**
 * The record's JSON Schema (draft 2020-12), as `postdump schema` prints it: one record of the JSON
 * array or one line of JSON Lines, with every field (`--fields` output is a projection of it).
 */
export const RECORD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'postdump record',
  description:
    'One post of a kexue.fm (科学空间) listing or article page. Keys appear in this order; series, part, categories and tags only when asked for with --fields.',
  type: 'object',
  properties: {
    title: { type: 'string', description: 'Post title as shown on the page.' },
    author: { type: 'string', minLength: 1, description: 'Author name, e.g. 苏剑林 or Jianlin Su.' },
    date: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Publication date, YYYY-MM-DD, a real calendar date.' },
    readers: {
      type: ['integer', 'null'],
      minimum: 0,
      description: 'Reader count at scrape time, or null when the input does not show one. It grows over time: never use it as identity.',
    },
    excerpt: { type: 'string', description: 'The post text the page shows, paragraphs joined with \\n, LaTeX and markup-looking text verbatim.' },
    url: { type: ['string', 'null'], format: 'uri', description: "The post's address when the input has it (HTML), else null." },
    id: { type: ['integer', 'null'], minimum: 1, description: 'The archive number from /archives/NNNN, else null.' },
    source: { type: 'string', minLength: 1, description: 'Input path, or - for standard input.' },
    line: { type: 'integer', minimum: 1, description: "1-based line of the post's header in the decoded input (HTML: of the post's element)." },
    series: { type: ['string', 'null'], minLength: 1, description: 'Series named in the title (生成扩散模型漫谈(一):... → 生成扩散模型漫谈), or null.' },
    part: { type: ['integer', 'null'], minimum: 1, description: 'Part number within the series (一 to 九十九, or an Arabic number), or null.' },
    categories: { type: 'array', items: { type: 'string' }, description: 'Categories of an article page (HTML); empty otherwise.' },
    tags: { type: 'array', items: { type: 'string' }, description: 'Tags of an article page (HTML); empty otherwise.' },
  },
  required: ['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line'],
  additionalProperties: false,
} as const;
