package io.layerproof.inference.synth;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Told how many weight bytes are written out of how many. */
public interface SynthProgress extends AutoCloseable {

  SynthProgress NONE = (done, total) -> {};

  void update(long done, long total);

  @Override
  default void close() {}

  /** A console progress bar (stderr) in MiB, for the CLI and the devnet's first run. */
  static SynthProgress console(String task) {
    return new SynthProgress() {
      private ProgressBar bar;

      @Override
      public void update(long done, long total) {
        if (bar == null) {
          // Created on the first update, so a refused request prints no empty bar.
          bar =
              new ProgressBarBuilder()
                  .setTaskName(task)
                  .setStyle(ProgressBarStyle.ASCII)
                  .setUnit(" MiB", 1 << 20)
                  .setInitialMax(total)
                  .showSpeed()
                  .build();
        }
        bar.maxHint(total);
        bar.stepTo(done);
      }

      @Override
      public void close() {
        if (bar != null) {
          bar.close();
        }
      }
    };
  }
}
