using System.Text.Json;
using Microsoft.Playwright;

namespace Roster.Browser.Tests;

/// <summary>
/// The checks of WCAG 2.2 AA that a page's rendered DOM can answer by itself, run in the browser on
/// the page as it is shown (the computed styles are Chromium's): every form control has a label, every
/// button and link a name, images an alternative, the page a language, a title and one h1, headings
/// without skipped levels, ids unique, tables with header cells, and text contrast of at least 4.5:1
/// (3:1 for large text) against the background it is painted on. Each problem comes back as a line
/// naming the element, so a failing test says what to fix.
/// </summary>
public static class AccessibilityAudit
{
    public static async Task<IReadOnlyList<string>> RunAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>(Script);
        return JsonSerializer.Deserialize<List<string>>(json)!;
    }

    const string Script = """
        () => {
          const problems = [];
          const describe = (el) => {
            let text = el.tagName.toLowerCase();
            if (el.id) text += '#' + el.id;
            if (el.getAttribute('name')) text += '[name=' + el.getAttribute('name') + ']';
            const words = (el.textContent || '').trim().replace(/\s+/g, ' ');
            return words ? text + ' "' + words.slice(0, 40) + '"' : text;
          };
          const visible = (el) => {
            const style = getComputedStyle(el);
            if (style.display === 'none' || style.visibility === 'hidden' || el.hidden) return false;
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.height > 0;
          };
          const nameOf = (el) => {
            const labelledBy = el.getAttribute('aria-labelledby');
            if (labelledBy) return labelledBy.split(/\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ').trim();
            if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
            if (el.labels && el.labels.length) return Array.from(el.labels).map(l => l.textContent).join(' ').trim();
            if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) return (el.value || '').trim();
            if (el.tagName === 'INPUT' && el.type === 'image') return (el.alt || '').trim();
            const own = (el.textContent || '').trim();
            if (own) return own;
            const img = el.querySelector('img[alt]');
            return img ? img.alt.trim() : (el.getAttribute('title') || '').trim();
          };

          if (!document.documentElement.lang) problems.push('the html element has no lang');
          if (!document.title.trim()) problems.push('the page has no title');
          const h1s = document.querySelectorAll('h1');
          if (h1s.length !== 1) problems.push('the page has ' + h1s.length + ' h1 elements, not one');

          let level = 0;
          document.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach(h => {
            const l = Number(h.tagName[1]);
            if (level && l > level + 1) problems.push('heading level skipped: ' + describe(h) + ' after an h' + level);
            level = l;
          });

          const ids = new Map();
          document.querySelectorAll('[id]').forEach(el => ids.set(el.id, (ids.get(el.id) || 0) + 1));
          ids.forEach((count, id) => { if (count > 1) problems.push('id "' + id + '" is used ' + count + ' times'); });

          document.querySelectorAll('input, select, textarea').forEach(el => {
            if (el.type === 'hidden') return;
            if (!nameOf(el)) problems.push('form control without a label: ' + describe(el));
          });
          document.querySelectorAll('button, a[href], [role=button]').forEach(el => {
            if (!visible(el)) return;
            if (!nameOf(el)) problems.push('no accessible name: ' + describe(el));
          });
          document.querySelectorAll('img').forEach(el => { if (!el.hasAttribute('alt')) problems.push('image without alt: ' + describe(el)); });
          document.querySelectorAll('table').forEach(t => {
            if (!t.querySelector('th')) problems.push('table without header cells: ' + describe(t));
          });

          // Contrast: every element that paints text of its own, against the first opaque background
          // behind it (the page's is white when nothing sets one).
          const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const luminance = (c) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const background = (el) => {
            for (let e = el; e; e = e.parentElement) {
              const bg = parse(getComputedStyle(e).backgroundColor);
              if (bg && bg.a >= 0.99) return bg;
            }
            return { r: 255, g: 255, b: 255, a: 1 };
          };
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const seen = new Set();
          while (walker.nextNode()) {
            const node = walker.currentNode;
            if (!node.textContent.trim()) continue;
            const el = node.parentElement;
            if (!el || seen.has(el) || !visible(el)) continue;
            seen.add(el);
            const style = getComputedStyle(el);
            const fg = parse(style.color);
            if (!fg) continue;
            const bg = background(el);
            const blended = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
            const [hi, lo] = [luminance(blended), luminance(bg)].sort((x, y) => y - x);
            const ratio = (hi + 0.05) / (lo + 0.05);
            const size = parseFloat(style.fontSize);
            const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
            const needed = large ? 3 : 4.5;
            if (ratio < needed) problems.push('contrast ' + ratio.toFixed(2) + ':1 < ' + needed + ':1: ' + describe(el));
          }
          return JSON.stringify(problems);
        }
        """;
}
