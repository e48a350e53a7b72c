// What `Engine.open` builds from its options: the warehouse root, the catalog and, for remote
// warehouses, the S3 FileIO. AWS pieces load lazily (dynamic imports), so opening a local
// warehouse never loads an `@aws-sdk/*` package.

import path from "node:path";
import { FileSystemCatalog, RestCatalog, schemeOf, toLocalPath, type Catalog } from "@engine/iceberg";
import { EngineError } from "../errors.js";

/** The Iceberg catalog of an engine: a folder of metadata files, AWS Glue, or a REST catalog service. */
export type CatalogOptions =
  | { readonly type: "filesystem" }
  | {
    readonly type: "glue";
    /** Region of the Glue Data Catalog (default: `s3.region`, then the AWS default chain). */
    readonly region?: string;
    /** Custom Glue endpoint (moto, LocalStack). */
    readonly endpoint?: string;
    /** The Glue catalog id (AWS account id) when it is not the caller's. */
    readonly catalogId?: string;
    /** Catalog properties (`glue.*`, `client.*`, `s3.*`), as PyIceberg and Java name them. */
    readonly properties?: Readonly<Record<string, string>>;
  }
  | {
    readonly type: "rest";
    readonly uri: string;
    /** The warehouse name or location sent to the service's `/v1/config`. */
    readonly warehouse?: string;
    /** A bearer token. */
    readonly token?: string;
    /** `client_id:client_secret` for the OAuth2 client-credentials flow. */
    readonly credential?: string;
    readonly properties?: Readonly<Record<string, string>>;
  };

/** How to reach S3 (or an S3-compatible store); everything optional, the AWS default chain fills the gaps. */
export interface S3Options {
  /** Custom endpoint (moto, MinIO, LocalStack). */
  readonly endpoint?: string;
  readonly region?: string;
  /** Address buckets by path (`endpoint/bucket/key`); default true with a custom `endpoint` (S3-compatible stores need it), else false. */
  readonly pathStyle?: boolean;
  /** Static credentials; absent means the AWS default credential chain. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /** Further S3 FileIO properties (`s3.multipart.part-size-bytes`, `s3.retry.num-retries`, …). */
  readonly properties?: Readonly<Record<string, string>>;
}

/** The S3 FileIO properties (`s3.*`) of S3 options. */
export function s3Properties(o: S3Options | undefined): Record<string, string> {
  if (!o) return {};
  return {
    ...(o.endpoint ? { "s3.endpoint": o.endpoint } : {}),
    ...(o.region ? { "s3.region": o.region } : {}),
    ...(o.pathStyle !== undefined || o.endpoint ? { "s3.path-style-access": String(o.pathStyle ?? true) } : {}),
    ...(o.accessKeyId ? { "s3.access-key-id": o.accessKeyId } : {}),
    ...(o.secretAccessKey ? { "s3.secret-access-key": o.secretAccessKey } : {}),
    ...(o.sessionToken ? { "s3.session-token": o.sessionToken } : {}),
    ...(o.properties ?? {}),
  };
}

/** Whether a warehouse (or table) location is on remote storage rather than a local path or `file:` URL. */
export function isRemoteLocation(location: string): boolean {
  const scheme = schemeOf(location);
  return scheme !== "" && scheme !== "file";
}

/** The warehouse root: remote URLs as given (without a trailing slash), local paths made absolute. */
export function warehouseRoot(warehouse: string | undefined): string {
  const w = warehouse ?? "warehouse";
  return isRemoteLocation(w) ? w.replace(/\/+$/, "") : path.resolve(toLocalPath(w));
}

/**
 * Registers the S3 FileIO (with `s3` as defaults under every catalog's and table's own
 * properties) when the warehouse is on S3 or S3 options are given; loads nothing otherwise.
 */
export async function registerStorage(warehouse: string, s3: S3Options | undefined): Promise<void> {
  if (s3 === undefined && !/^s3[an]?:/i.test(warehouse)) return;
  const { registerS3FileIO } = await import("@engine/iceberg/io/s3");
  registerS3FileIO(s3Properties(s3));
}

/** The catalog `Engine.open` asked for. */
export async function openCatalog(warehouse: string, catalog: CatalogOptions | undefined, s3: S3Options | undefined): Promise<Catalog> {
  const type = catalog?.type ?? "filesystem";
  switch (catalog?.type) {
    case undefined:
    case "filesystem":
      if (isRemoteLocation(warehouse)) {
        throw new EngineError("NOT_SUPPORTED", `engine: warehouse ${warehouse}: expected catalog { type: "glue" } or { type: "rest" } for a remote warehouse, got ${type} (the filesystem catalog lists local folders)`);
      }
      return new FileSystemCatalog({ warehouse });
    case "glue": {
      const { GlueCatalog } = await import("@engine/iceberg/catalog/glue");
      const region = catalog.region ?? s3?.region;
      return new GlueCatalog({
        warehouse,
        ...(region ? { region } : {}),
        ...(catalog.endpoint ? { endpoint: catalog.endpoint } : {}),
        ...(catalog.catalogId ? { catalogId: catalog.catalogId } : {}),
        // The catalog's FileIO gets the S3 options too; the catalog's own properties win.
        properties: { ...s3Properties(s3), ...(catalog.properties ?? {}) },
      });
    }
    case "rest":
      return new RestCatalog({
        uri: catalog.uri,
        ...(catalog.warehouse ? { warehouse: catalog.warehouse } : {}),
        ...(catalog.token ? { token: catalog.token } : {}),
        ...(catalog.credential ? { credential: catalog.credential } : {}),
        properties: { ...s3Properties(s3), ...(catalog.properties ?? {}) },
      });
    default:
      throw new EngineError("NOT_SUPPORTED", `engine: catalog type ${(catalog as { type: string }).type}: expected filesystem, glue or rest`);
  }
}
