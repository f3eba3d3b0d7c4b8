/**
 * The undo log of a scenario: every change to the cluster records how to undo itself while a
 * scenario runs, and rollback replays the steps backwards, so a scenario is undone in time
 * proportional to what it changed (the placement itself is never journaled).
 */
export class Journal {
  private steps: (() => void)[] = [];
  private recording = false;

  /** Starts a fresh log; `restore` runs last on rollback (state that is saved whole, not per change). */
  begin(restore: () => void): void {
    this.steps = [restore];
    this.recording = true;
  }

  /** Records one undo step, while a scenario runs. */
  record(undo: () => void): void {
    if (this.recording) this.steps.push(undo);
  }

  /** Undoes every recorded change, newest first, and stops recording. */
  rollback(): void {
    this.recording = false;
    for (let i = this.steps.length - 1; i >= 0; i--) this.steps[i]!();
    this.steps = [];
  }
}
