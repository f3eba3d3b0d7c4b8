/**
 * Per-node count arrays carved out of shared slabs: thousands of counters, few allocations. One per
 * cluster, so two simulations never share memory.
 */
export class Slab {
  private buffer = new Int32Array(0);
  private used = 0;
  alloc(n: number): Int32Array {
    if (this.used + n > this.buffer.length) {
      this.buffer = new Int32Array(Math.max(n, n * 64));
      this.used = 0;
    }
    const view = this.buffer.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  }
}
