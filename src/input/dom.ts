/**
 * A page's tree, as `html-tree.ts` builds it from htmlparser2's events: domhandler's shape (`type`,
 * `name`, `attribs`, `children`, `data`, `parent`, `startIndex`, the start in the page's source),
 * with only the fields postdump reads, as plain objects: a page of 25 KB has a thousand nodes.
 */
export interface Document {
  type: 'root';
  children: ChildNode[];
  parent: null;
  startIndex: number;
}

export interface Element {
  /** As domhandler's: `script` and `style` elements have types of their own. */
  type: 'tag' | 'script' | 'style';
  name: string;
  attribs: Record<string, string>;
  children: ChildNode[];
  parent: ParentNode;
  startIndex: number;
}

export interface Text {
  type: 'text';
  data: string;
  parent: ParentNode;
  startIndex: number;
}

export interface Comment {
  type: 'comment';
  data: string;
  parent: ParentNode;
  startIndex: number;
}

export type ParentNode = Document | Element;
export type ChildNode = Element | Text | Comment;
export type AnyNode = Document | ChildNode;

export function isTag(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function isText(node: AnyNode): node is Text {
  return node.type === 'text';
}

export function isComment(node: AnyNode): node is Comment {
  return node.type === 'comment';
}

export function hasChildren(node: AnyNode): node is ParentNode {
  return Object.hasOwn(node, 'children');
}

/** Pushes nodes on a stack so that they pop in document order: walks use a stack, since unclosed tags can nest a page hundreds deep. */
export function pushReversed<T>(stack: Array<AnyNode | T>, nodes: readonly AnyNode[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i] as AnyNode);
}

/**
 * Visits the elements under `nodes` in document order, each once: `visit` gets an element and what
 * its parent handed down, and returns what the element's children get, or null to leave them out.
 * What is handed down (an enclosing element, flags) answers "is this inside that" without walking
 * up or down again, so a walk stays linear however deep the page nests.
 */
export function walkElements<T>(nodes: readonly AnyNode[], top: T, visit: (el: Element, above: T) => T | null): void {
  const elements: Element[] = [];
  const contexts: T[] = [];
  const push = (children: readonly AnyNode[], context: T): void => {
    for (let i = children.length - 1; i >= 0; i--) {
      const node = children[i] as AnyNode;
      if (!isTag(node)) continue;
      elements.push(node);
      contexts.push(context);
    }
  };
  push(nodes, top);
  while (elements.length > 0) {
    const el = elements.pop() as Element;
    const below = visit(el, contexts.pop() as T);
    if (below !== null) push(el.children, below);
  }
}

/** The elements under `nodes` that pass `test`, in document order; the children of those that `prune` names are not searched. */
export function descendants(nodes: readonly AnyNode[], test: (el: Element) => boolean, prune: (el: Element) => boolean = () => false): Element[] {
  const found: Element[] = [];
  walkElements(nodes, true, (el) => {
    if (test(el)) found.push(el);
    return prune(el) ? null : true;
  });
  return found;
}

/** Whether an element holds at most `n` nodes (itself not counted); stops counting past `n`. */
export function hasAtMostNodes(el: Element, n: number): boolean {
  let count = 0;
  const stack: AnyNode[] = [];
  pushReversed(stack, el.children);
  while (stack.length > 0) {
    if (++count > n) return false;
    const node = stack.pop() as AnyNode;
    if (hasChildren(node)) pushReversed(stack, node.children);
  }
  return true;
}
