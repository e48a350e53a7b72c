// Request shapes of the AWS Lake Formation API (2017-03-31), member names as in botocore's
// `lakeformation/2017-03-31/service-2.json`: CreateLFTagRequest, AddLFTagsToResourceRequest,
// GrantPermissionsRequest and the Resource, TableWithColumnsResource, LFTagPolicyResource,
// LFTagPair, LFTag and DataLakePrincipal structures they use.

/** `LFTagPair` / `LFTag`: a tag key and values. */
export interface LfTagPair {
  readonly TagKey: string;
  readonly TagValues: readonly string[];
}

/** `CreateLFTagRequest`. */
export interface CreateLfTagInput {
  readonly CatalogId?: string;
  readonly TagKey: string;
  readonly TagValues: readonly string[];
}

/** `TableWithColumnsResource`. */
export interface TableWithColumnsResource {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  readonly Name: string;
  readonly ColumnNames: readonly string[];
}

/** `AddLFTagsToResourceRequest` with a `TableWithColumns` resource. */
export interface AddLfTagsToResourceInput {
  readonly CatalogId?: string;
  readonly Resource: { readonly TableWithColumns: TableWithColumnsResource };
  readonly LFTags: readonly LfTagPair[];
}

/** `LFTagPolicyResource`. */
export interface LfTagPolicyResource {
  readonly CatalogId?: string;
  readonly ResourceType: "DATABASE" | "TABLE";
  readonly Expression: readonly LfTagPair[];
}

/** A Lake Formation `Permission` this package grants. */
export type LfPermission = "SELECT" | "DESCRIBE";

/** `GrantPermissionsRequest` with an `LFTagPolicy` resource. */
export interface GrantPermissionsInput {
  readonly CatalogId?: string;
  readonly Principal: { readonly DataLakePrincipalIdentifier: string };
  readonly Resource: { readonly LFTagPolicy: LfTagPolicyResource };
  readonly Permissions: readonly LfPermission[];
}

/** One Lake Formation API call: the operation name and its request, ready for the SDK's `*Command`. */
export type LakeFormationRequest =
  | { readonly operation: "CreateLFTag"; readonly input: CreateLfTagInput }
  | { readonly operation: "AddLFTagsToResource"; readonly input: AddLfTagsToResourceInput }
  | { readonly operation: "GrantPermissions"; readonly input: GrantPermissionsInput };
