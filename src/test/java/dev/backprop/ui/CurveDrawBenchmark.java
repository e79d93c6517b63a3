package dev.backprop.ui;

import dev.backprop.BackpropApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What downsampling saves when a long history is drawn: the dashboard's loss chart in headless chromium, given
 * a synthetic history of N epochs (two series), timed as drawn (min/max buckets, ~1,000 points) against every
 * point read from the same records and handed to uPlot. Median of 25 draws each, the canvas painted included. Run by bench/dashboard_draw.sh;
 * not part of ./mvnw verify (its name ends in Benchmark).
 */
public final class CurveDrawBenchmark {

    private static final String SCRIPT = """
            const [epochs, done] = arguments;
            import('/ui/charts.js').then(async ({ CurveChart }) => {
              const records = [];
              for (let e = 1; e <= epochs; e++) {
                const loss = Math.exp(-e / (epochs / 5)) + 0.05 * Math.abs(Math.sin(e * 12.9898));
                records.push({ epoch: e, loss, validationLoss: 1.1 * loss + 0.02 });
              }
              const host = document.createElement('div');
              host.style.width = '900px';
              document.body.append(host);
              const chart = new CurveChart(host, { title: 'bench', yLabel: 'loss',
                series: [{ key: 'loss', label: 'loss' }, { key: 'validationLoss', label: 'validation loss' }] });
              // uPlot paints in a microtask queued by setData; awaiting one after it includes the paint.
              const median = async draw => {
                const times = [];
                for (let i = 0; i < 25; i++) {
                  const start = performance.now();
                  draw();
                  await Promise.resolve();
                  times.push(performance.now() - start);
                }
                times.sort((a, b) => a - b);
                return times[12];
              };
              const downsampled = await median(() => chart.set(records, Math.round(epochs / 2)));
              const drawn = Number(chart.el.dataset.drawn);
              // Every point, read from the same records as set() reads them.
              const everyPoint = await median(() => chart.plot.setData(
                [records.map(r => r.epoch), records.map(r => r.loss), records.map(r => r.validationLoss)]));
              done({ epochs, drawn, downsampledMs: downsampled, everyPointMs: everyPoint });
            }).catch(e => done({ error: String(e) }));
            """;

    private CurveDrawBenchmark() {
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(BackpropApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--backprop.jobs.runner-enabled=false",
                "--spring.datasource.url=jdbc:h2:mem:curve-bench;DB_CLOSE_DELAY=-1");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        try (Browser browser = new Browser(port)) {
            browser.open("/ui/models");
            for (String arg : args.length == 0 ? new String[] {"1000", "10000", "100000"} : args) {
                System.out.println("curve-draw " + browser.asyncScript(SCRIPT, Integer.parseInt(arg)));
            }
        } finally {
            app.close();
        }
    }
}
