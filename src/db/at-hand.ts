// A DataLoader that also answers, without a promise, every key its batches (or `prime`) have answered.
// A page's fields are resolved by the thousand: a field whose value is at hand returns it as it is, and
// compiled execution then completes the object without a promise. Same batching and cache as DataLoader.
import DataLoader from 'dataloader';

export class AtHandLoader<K, V> extends DataLoader<K, V> {
  private readonly known: Map<K, V>;

  constructor(batch: (keys: readonly K[]) => Promise<V[]>, maxBatchSize: number) {
    const known = new Map<K, V>();
    super(
      async (keys) => {
        const values = await batch(keys);
        keys.forEach((key, i) => known.set(key, values[i]!));
        return values;
      },
      { maxBatchSize },
    );
    this.known = known;
  }

  /** the value answered for `key`, or undefined when it has not been read yet */
  peek(key: K): V | undefined {
    return this.known.get(key);
  }

  /** the value, at hand or through a batch */
  get(key: K): V | Promise<V> {
    const value = this.known.get(key);
    return value !== undefined ? value : this.load(key);
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!this.known.has(key) && !(value instanceof Error) && !isPromiseLike(value)) this.known.set(key, value);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.known.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.known.clear();
    return super.clearAll();
  }
}

const isPromiseLike = <V>(value: V | PromiseLike<V>): value is PromiseLike<V> => typeof (value as { then?: unknown })?.then === 'function';

/** `fn(value)` now when the value is at hand, else when it comes */
export function whenAtHand<V, R>(value: V | Promise<V>, fn: (value: V) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
