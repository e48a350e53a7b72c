import java.io.File;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Writes one equality-delete file per partition with the Apache Iceberg Java library and commits
 * it with a RowDelta — Spark cannot write equality deletes, so tests get them from here.
 *
 * <pre>
 * java -cp … EqDeleteWriter '{"table": "/wh/db/t", "rows": [{"id": 3}, {"id": 5, "region": "eu"}]}'
 * </pre>
 *
 * "table" is a Hadoop-catalog table directory, or one of its metadata/vN.metadata.json files (the
 * table directory is then its grandparent). Every row must name the same columns: they become the
 * equality field ids. Values are JSON: numbers, strings, booleans, null; longs and decimals may be
 * strings; dates, times and timestamps ISO 8601; binary base64. Optional "format" (parquet|avro).
 * Prints {"snapshotId", "metadataLocation", "deleteFiles": [{path, recordCount, partition}]}.
 */
public class EqDeleteWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: EqDeleteWriter '<json request>'");
      System.exit(2);
    }
    JsonNode request = JSON.readTree(args[0]);
    String location = tableLocation(request.path("table").asText(""));
    Table table = new HadoopTables(new Configuration()).load(location);
    FileFormat format = FileFormat.fromString(request.path("format").asText("parquet"));

    ArrayNode rows = (ArrayNode) request.get("rows");
    if (rows == null || rows.isEmpty()) {
      throw new IllegalArgumentException("\"rows\" must be a non-empty array of {column: value}");
    }
    List<String> columns = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(columns::add);

    Schema schema = table.schema();
    Schema deleteSchema = schema.select(columns);
    List<Integer> equalityIds = new ArrayList<>();
    for (String column : columns) {
      Types.NestedField field = schema.findField(column);
      if (field == null) {
        throw new IllegalArgumentException("no column " + column + " in " + schema);
      }
      equalityIds.add(field.fieldId());
    }

    PartitionSpec spec = table.spec();
    GenericAppenderFactory factory =
        new GenericAppenderFactory(
            schema, spec, equalityIds.stream().mapToInt(Integer::intValue).toArray(), deleteSchema, null);

    // Group the rows by partition: an equality delete applies within its partition only.
    Map<PartitionKey, List<Record>> byPartition = new LinkedHashMap<>();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    for (JsonNode row : rows) {
      Record full = GenericRecord.create(schema);
      Record delete = GenericRecord.create(deleteSchema);
      for (String column : columns) {
        if (!row.has(column)) {
          throw new IllegalArgumentException("every row must name the same columns " + columns + ": " + row);
        }
        Object value = convert(schema.findType(column), row.get(column));
        full.setField(column, value);
        delete.setField(column, value);
      }
      PartitionKey key = new PartitionKey(spec, schema);
      if (spec.isPartitioned()) {
        spec.fields().forEach(f -> {
          if (!columns.contains(schema.findColumnName(f.sourceId()))) {
            throw new IllegalArgumentException(
                "table is partitioned by " + schema.findColumnName(f.sourceId())
                    + ": every delete row must give that column too");
          }
        });
        key.partition(wrapper.wrap(full));
      }
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(delete);
    }

    RowDelta delta = table.newRowDelta();
    ArrayNode written = JSON.createArrayNode();
    for (Map.Entry<PartitionKey, List<Record>> entry : byPartition.entrySet()) {
      PartitionKey partition = spec.isPartitioned() ? entry.getKey() : null;
      String name = "eq-delete-" + UUID.randomUUID() + "." + format.name().toLowerCase();
      String path =
          spec.isPartitioned()
              ? table.locationProvider().newDataLocation(spec, partition, name)
              : table.locationProvider().newDataLocation(name);
      EncryptedOutputFile out = table.encryption().encrypt(table.io().newOutputFile(path));
      EqualityDeleteWriter<Record> writer = factory.newEqDeleteWriter(out, format, partition);
      try (EqualityDeleteWriter<Record> w = writer) {
        for (Record record : entry.getValue()) {
          w.write(record);
        }
      }
      DeleteFile file = writer.toDeleteFile();
      delta.addDeletes(file);
      ObjectNode info = written.addObject();
      info.put("path", file.location());
      info.put("recordCount", file.recordCount());
      info.put("partition", spec.isPartitioned() ? spec.partitionToPath(partition) : "");
    }
    delta.commit();
    table.refresh();

    ObjectNode result = JSON.createObjectNode();
    result.put("snapshotId", String.valueOf(table.currentSnapshot().snapshotId()));
    result.put("metadataLocation", ((org.apache.iceberg.HasTableOperations) table).operations().current().metadataFileLocation());
    result.set("deleteFiles", written);
    System.out.println(JSON.writeValueAsString(result));
  }

  private static String tableLocation(String given) {
    if (given.isEmpty()) {
      throw new IllegalArgumentException("\"table\" (a table directory or metadata file) is required");
    }
    String path = given.startsWith("file:") ? given.replaceFirst("^file:(//)?", "") : given;
    if (path.endsWith(".metadata.json")) {
      return new File(path).getAbsoluteFile().getParentFile().getParent();
    }
    return path;
  }

  private static Object convert(Type type, JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    switch (type.typeId()) {
      case BOOLEAN:
        return v.asBoolean();
      case INTEGER:
        return v.isTextual() ? Integer.parseInt(v.asText()) : v.intValue();
      case LONG:
        return v.isTextual() ? Long.parseLong(v.asText()) : v.longValue();
      case FLOAT:
        return v.isTextual() ? Float.parseFloat(v.asText()) : v.floatValue();
      case DOUBLE:
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
      case DECIMAL:
        return new java.math.BigDecimal(v.asText()).setScale(((Types.DecimalType) type).scale());
      case STRING:
        return v.asText();
      case DATE:
        return LocalDate.parse(v.asText());
      case TIME:
        return LocalTime.parse(v.asText());
      case TIMESTAMP:
        if (((Types.TimestampType) type).shouldAdjustToUTC()) {
          return OffsetDateTime.parse(v.asText());
        }
        return LocalDateTime.parse(v.asText());
      case UUID:
        return UUID.fromString(v.asText());
      case BINARY:
        return java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(v.asText()));
      case FIXED:
        return Base64.getDecoder().decode(v.asText());
      default:
        throw new IllegalArgumentException("equality deletes on " + type + " are not supported here");
    }
  }
}
