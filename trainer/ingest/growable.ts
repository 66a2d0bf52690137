/** A typed array that grows as values are pushed (order lines and pairs arrive in tens of millions). */
class GrowableList<A extends Int32Array | Float32Array> {
  private data: A;
  length = 0;

  constructor(
    private readonly make: (length: number) => A,
    capacity: number,
  ) {
    this.data = make(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  view(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

export class Int32List extends GrowableList<Int32Array> {
  constructor(capacity = 1 << 16) {
    super((length) => new Int32Array(length), capacity);
  }
}

/** One per co-purchase pair: the pairs' basket-size weights. */
export class Float32List extends GrowableList<Float32Array> {
  constructor(capacity = 1 << 16) {
    super((length) => new Float32Array(length), capacity);
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
