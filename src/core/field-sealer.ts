/**
 * The contract for encrypting restricted fields (narratives, identifiers in clear, precise
 * locations, reporter contact, TOTP secrets). Values are sealed with AES-256-GCM under the current
 * data key; the sealed text names the key that sealed it, so `cast keys rotate` can re-encrypt
 * without downtime. Modules depend on this interface only, never on how keys are kept.
 */
export interface FieldSealer {
  /** Seals with the current data key. */
  seal(plaintext: string): string;
  /** Opens a value sealed under any data key this instance knows (reloading keys once if needed). */
  unseal(sealed: string): Promise<string>;
}

/** A table column that holds sealed values, so key rotation can find and re-encrypt every one. */
export interface SealedColumn {
  readonly table: string;
  /** The primary key column (one column). */
  readonly key: string;
  readonly columns: readonly string[];
}
