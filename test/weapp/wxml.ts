/**
 * A small reader for the WXML the build writes (base.wxml, page wxml): finds
 * the start tags of an element and parses their attributes, honouring quotes
 * (attribute values hold `{{…}}` expressions that may contain `>` or the
 * other quote character). Enough to assert what Taro generated; not a full
 * WXML parser.
 */

export interface StartTag {
  tag: string
  /** Attributes in source order; a bare attribute has the value ''. */
  attrs: Record<string, string>
  /** Attribute names that appear more than once on the tag. */
  duplicates: string[]
  /** 1-based line of the `<`. */
  line: number
  /** `name` of the enclosing `<template name="…">`, if any. */
  template?: string
  /** The tag as written, e.g. `<live-pusher url="{{i.p25}}" … >`. */
  source: string
}

const NAME = /[^\s=/>"']/

/** Every start tag of `tag` in `source` (comments are skipped). */
export function startTags(source: string, tag: string): StartTag[] {
  return allStartTags(source).filter((t) => t.tag === tag)
}

/** Every start tag in `source`, in order (comments are skipped). */
export function allStartTags(source: string): StartTag[] {
  const tags: StartTag[] = []
  const templates: { name: string; depth: number }[] = []
  let depth = 0
  let i = 0
  const lineAt = (pos: number): number => source.slice(0, pos).split('\n').length

  while (i < source.length) {
    const lt = source.indexOf('<', i)
    if (lt < 0) break
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4)
      i = end < 0 ? source.length : end + 3
      continue
    }
    if (source[lt + 1] === '/') {
      // End tag.
      const gt = source.indexOf('>', lt)
      const name = source.slice(lt + 2, gt < 0 ? source.length : gt).trim()
      depth -= 1
      if (name === 'template' && templates.length && templates[templates.length - 1].depth === depth) templates.pop()
      i = gt < 0 ? source.length : gt + 1
      continue
    }
    let p = lt + 1
    while (p < source.length && NAME.test(source[p])) p++
    const tag = source.slice(lt + 1, p)
    if (!tag) {
      i = lt + 1
      continue
    }
    const attrs: Record<string, string> = {}
    const duplicates: string[] = []
    let selfClosing = false
    for (;;) {
      while (p < source.length && /\s/.test(source[p])) p++
      if (p >= source.length) throw new Error(`unterminated <${tag} at line ${lineAt(lt)}`)
      if (source[p] === '>') {
        p++
        break
      }
      if (source.startsWith('/>', p)) {
        selfClosing = true
        p += 2
        break
      }
      const nameStart = p
      while (p < source.length && NAME.test(source[p])) p++
      const name = source.slice(nameStart, p)
      if (!name) throw new Error(`unexpected '${source[p]}' in <${tag} at line ${lineAt(lt)}`)
      let value = ''
      while (p < source.length && /\s/.test(source[p])) p++
      if (source[p] === '=') {
        p++
        while (p < source.length && /\s/.test(source[p])) p++
        const quote = source[p]
        if (quote === '"' || quote === "'") {
          const end = source.indexOf(quote, p + 1)
          if (end < 0) throw new Error(`unterminated value of ${name} in <${tag} at line ${lineAt(lt)}`)
          value = source.slice(p + 1, end)
          p = end + 1
        } else {
          const start = p
          while (p < source.length && !/[\s>]/.test(source[p]) && !source.startsWith('/>', p)) p++
          value = source.slice(start, p)
        }
      }
      if (name in attrs) duplicates.push(name)
      attrs[name] = value
    }
    tags.push({
      tag,
      attrs,
      duplicates,
      line: lineAt(lt),
      template: templates.length ? templates[templates.length - 1].name : undefined,
      source: source.slice(lt, p),
    })
    if (!selfClosing && tag === 'wxs') {
      // Inline script: its body is JavaScript, not markup.
      const end = source.indexOf('</wxs>', p)
      i = end < 0 ? source.length : end + '</wxs>'.length
      continue
    }
    if (!selfClosing) {
      if (tag === 'template' && attrs.name !== undefined) templates.push({ name: attrs.name, depth })
      depth += 1
    }
    i = p
  }
  return tags
}
