import type { AnyNode, Element, ParentNode, Text, Comment } from 'domhandler';

// domhandler's node guards, written out: importing its values would load it (and domelementtype)
// at start-up for every input, pages or not.

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

/** Pushes nodes on a stack so that they pop in document order: walks use a stack, since unclosed tags can nest a page thousands deep. */
export function pushReversed<T>(stack: Array<AnyNode | T>, nodes: readonly AnyNode[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i] as AnyNode);
}
