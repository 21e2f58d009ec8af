// The charts' colours come from the console's CSS variables (app.css), read when a chart is drawn and
// again when the theme changes (a class or attribute on <html>, or the system's light/dark preference),
// so a theme that redefines the variables recolours the charts too.

/** The series colours, in order: variables whose text colour passes AA on the page's surfaces. */
const SERIES_VARIABLES = ['--primary', '--success', '--warning', '--state-done-fg', '--danger', '--state-sent-fg', '--state-sale-fg', '--text-muted'];
const FALLBACK = ['#1d4ed8', '#0b6b3a', '#8a5300', '#4c1d95', '#b42318', '#1e3a8a', '#065f46', '#4b5565'];

export type ChartTheme = { series: string[]; text: string; grid: string; surface: string };

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return {
    series: SERIES_VARIABLES.map((v, i) => cssVar(style, v, FALLBACK[i]!)),
    text: cssVar(style, '--text-muted', '#4b5565'),
    grid: cssVar(style, '--border', '#d5dbe5'),
    surface: cssVar(style, '--surface', '#ffffff'),
  };
}

/** The colour of the nth series (they repeat after the last). */
export function seriesColour(theme: ChartTheme, n: number): string {
  return theme.series[n % theme.series.length]!;
}

/** Calls `onchange` whenever the theme may have changed, until the returned function is called. */
export function watchTheme(onchange: () => void): () => void {
  const observer = new MutationObserver(onchange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'data-theme', 'style'] });
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onchange);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', onchange);
  };
}
