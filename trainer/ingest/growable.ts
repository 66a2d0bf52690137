/** An Int32Array that grows as values are pushed (order lines arrive in tens of millions). */
export class Int32List {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** A Float64Array indexed by a growing id, new slots set to `fill`. */
export class Float64Slots {
  private data: Float64Array;

  constructor(
    private readonly fill: number,
    capacity = 1 << 16,
  ) {
    this.data = new Float64Array(capacity).fill(fill);
  }

  get(index: number): number {
    return this.data[index] ?? this.fill;
  }

  set(index: number, value: number): void {
    if (index >= this.data.length) {
      let size = this.data.length * 2;
      while (size <= index) size *= 2;
      const bigger = new Float64Array(size).fill(this.fill);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[index] = value;
  }

  view(length: number): Float64Array {
    if (length > this.data.length) this.set(length - 1, this.fill);
    return this.data.subarray(0, length);
  }
}
