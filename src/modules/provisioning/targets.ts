/** What a hosting command acts on: a customer (any customer reference or id) ... */
export interface CustomerTarget {
  ref: string | number;
}

/** ... or an object by its id; `expectedVersion` refuses the write if the object changed meanwhile (If-Match). */
export interface ObjectTarget {
  id: number;
  expectedVersion?: number;
}
