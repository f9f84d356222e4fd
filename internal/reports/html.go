package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// HTMLFile is the self-contained HTML report WriteReport writes beside report.md.
const HTMLFile = "report.html"

// report.html is report.md converted, not a second copy: the same parts, turned
// into HTML by goldmark (CommonMark with GitHub's tables), with each figure's SVG
// inlined where report.md embeds its image. Nothing in the page is fetched: no
// scripts, no style sheets, no images by address; the only links are fragments
// within the page. Text that came from result files (implementation names,
// command lines) is escaped: goldmark escapes text, and anything the markdown
// parser would take for raw HTML, an image or a link to elsewhere is written as
// escaped text instead.

// figureMarker stands in report.html's markdown for figure i: a paragraph of its
// own that no report text contains, replaced by the figure once converted.
func figureMarker(i int) string { return fmt.Sprintf("SYNCBENCHFIGURE%06dEND", i) }

// plotErrorLine is what both reports say in place of a figure that could not be
// drawn.
func plotErrorLine(f figure, err error) string {
	return fmt.Sprintf("_Plot %q could not be drawn: %v_\n\n", f.title, err)
}

var htmlConverter = goldmark.New(
	goldmark.WithExtensions(extension.Table),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(
		html.WithXHTML(), // void elements closed, so the page also parses as XML
		renderer.WithNodeRenderers(util.Prioritized(escapingRenderer{}, 100)),
	),
)

// htmlPage is report.html's frame: the escaped title, the styles and the
// converted body. It is filled with fmt, not html/template's Execute, whose
// reflection keeps the linker from dropping unused methods and would add about
// 12 MB to loadgen; every value put in it is escaped or is report.html's own.
const htmlPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="syncbench loadgen report" />
<title>%s</title>
<style>%s</style>
</head>
<body>
<main>
%s
</main>
</body>
</html>
`

// htmlCSS styles report.html; it holds neither '<' nor '&', so the page stays
// well-formed XML too.
const htmlCSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1, h2, h3 { line-height: 1.2; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; display: block; overflow-x: auto; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; }
th { background: #f3f3f3; }
tbody tr:nth-child(even) { background: #fafafa; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; background: #f3f3f3; padding: 0 .2em; border-radius: 3px; }
pre { background: #f3f3f3; padding: .6rem; overflow-x: auto; }
pre code { background: none; padding: 0; }
figure { margin: 1.2rem 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #555; margin-top: .3rem; }
`

// html renders report.html from the same parts as report.md: the figures'
// inline SVGs (by figure name) where report.md embeds their images.
func (rb *reportBuilder) html(plotErrs map[string]error, svgs map[string][]byte) ([]byte, error) {
	var md bytes.Buffer
	figs := map[string]string{}
	for _, p := range rb.parts {
		if p.fig < 0 {
			md.WriteString(p.text)
			continue
		}
		f := rb.figures[p.fig]
		if err := plotErrs[f.name]; err != nil {
			md.WriteString(plotErrorLine(f, err))
			continue
		}
		svg := svgs[f.name]
		if i := bytes.Index(svg, []byte("<svg")); i >= 0 {
			svg = svg[i:] // the XML prolog and generator comment have no place inside HTML
		} else {
			md.WriteString(plotErrorLine(f, fmt.Errorf("no SVG rendered")))
			continue
		}
		marker := figureMarker(p.fig)
		fmt.Fprintf(&md, "\n\n%s\n\n", marker)
		figs["<p>"+marker+"</p>"] = fmt.Sprintf("<figure id=\"fig-%s\">\n%s\n<figcaption>%s</figcaption>\n</figure>",
			template.HTMLEscapeString(f.name), bytes.TrimSpace(svg), template.HTMLEscapeString(f.title))
	}
	var body bytes.Buffer
	if err := htmlConverter.Convert(md.Bytes(), &body); err != nil {
		return nil, err
	}
	text := body.String()
	for marker, fig := range figs {
		text = strings.Replace(text, marker, fig, 1)
	}
	return fmt.Appendf(nil, htmlPage, template.HTMLEscapeString(rb.title), htmlCSS, text), nil
}

// escapingRenderer renders, in place of goldmark's defaults, the nodes through
// which report text could put markup or an outside address into the page: raw
// HTML is written as escaped text, images as their alt text, and links to
// anything but a fragment of the page as their text.
type escapingRenderer struct{}

func (escapingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTMLEscaped)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlockEscaped)
	reg.Register(ast.KindLink, renderLinkLocal)
	reg.Register(ast.KindAutoLink, renderAutoLinkText)
	reg.Register(ast.KindImage, renderImageAlt)
}

func renderRawHTMLEscaped(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := node.(*ast.RawHTML).Segments
		for i := range segs.Len() {
			seg := segs.At(i)
			template.HTMLEscape(w, seg.Value(source))
		}
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlockEscaped(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		_, _ = w.WriteString("<p>")
		lines := n.Lines()
		for i := range lines.Len() {
			line := lines.At(i)
			template.HTMLEscape(w, line.Value(source))
		}
		if n.HasClosure() {
			template.HTMLEscape(w, n.ClosureLine.Value(source))
		}
		_, _ = w.WriteString("</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

func renderLinkLocal(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	dest := node.(*ast.Link).Destination
	if !bytes.HasPrefix(dest, []byte("#")) {
		return ast.WalkContinue, nil // the link's text only
	}
	if entering {
		fmt.Fprintf(w, `<a href="%s">`, template.HTMLEscapeString(string(dest)))
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderAutoLinkText(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		template.HTMLEscape(w, node.(*ast.AutoLink).Label(source))
	}
	return ast.WalkSkipChildren, nil
}

func renderImageAlt(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		var alt bytes.Buffer
		for c := node.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				alt.Write(t.Segment.Value(source))
			}
		}
		template.HTMLEscape(w, alt.Bytes())
	}
	return ast.WalkSkipChildren, nil
}
