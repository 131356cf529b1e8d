/**
 * Headings of the site's sidebar and footer, on the Chinese site and the English one. Seen after an
 * excerpt, one ends the post: what follows belongs to no post, up to the next title. Never a title.
 * Under two of them the items are not titles either: the first under a list of posts (a link to
 * another post, which a renderer may show with its meta line), and a comment (`张三: 写得真好`)
 * under a list of comments (a reader may have pasted a header into one).
 */
export const POST_LISTS = ['随机文章', 'Random Posts'];
export const COMMENT_LISTS = ['最近评论', '最新评论', 'Recent Comments', 'Latest Comments'];
export const OTHER_HEADINGS = ['热门标签', '友情链接', '点击加载更多', 'Hot Tags', 'Links'];
