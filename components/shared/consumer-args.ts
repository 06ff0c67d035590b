/**
 * Args shared by the components of a consumer account that read the lake through resource links
 * (`ConsumerAccess`, `SparkAnalytics`, `QuickSightAnalytics`): one definition each, not borrowed from a
 * sibling's args file.
 */

/** The lake whose catalog the consumer account reads. */
export interface LakeCatalogRef {
  /** The lake's account id: the id of its Data Catalog. */
  readonly accountId: string;
  /** The lake's region. */
  readonly region: string;
  /**
   * Alias of the customer-managed KMS key that encrypts the lake's catalog metadata: analysts may decrypt
   * with it through Glue only (the lake's key policy must allow this account too). @default none (the
   * lake's catalog metadata is not encrypted with a customer-managed key)
   */
  readonly catalogKeyAlias?: string;
}

/** A lake database shared with this account, seen through a resource link. */
export interface SharedDatabase {
  /** The database's name in the lake's catalog. */
  readonly database: string;
  /** The resource link's name in this account's catalog. */
  readonly linkName: string;
}
