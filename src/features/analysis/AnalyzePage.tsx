/** Drop a mix, see every measurement, play it with a live meter. */
export function AnalyzePage() {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header"><h1 id="page-title">Analyze</h1></header>
      <p class="hint">Mix analysis arrives with the analysis engine.</p>
    </section>
  );
}
