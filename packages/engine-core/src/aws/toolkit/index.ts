// The AWS toolkit: S3, Glue and Athena chores.
export { splitS3Url, listObjects, list, deletePrefix, deleteUrls, copy, movePrefix, countLines, grep, uploadFile, uploadDirectory, downloadFile, downloadDirectory, type S3Object, type DeletePrefixOptions, type GrepMatch } from "./s3.js";
export { deleteTable, deleteDatabase, startCrawlerAndWait, type GlueToolkitOptions } from "./glue.js";
export { optimize, vacuum, optimizeSql, vacuumSql } from "./athena.js";
