import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Parquet's Hive SerDe and formats, as Glue, Athena and Lake Formation expect them. */
export const PARQUET_FORMATS = {
  serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
  inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
} as const;

/** Glue tables of the lake store Parquet: the Parquet SerDe, input format and output format. */
export const glueTableEnforceParquet: ResourceValidationPolicy = {
  name: "glue-table-enforce-parquet",
  description: "Glue tables use the Parquet SerDe, input format and output format.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(aws.glue.CatalogTable, (table, _args, reportViolation) => {
    // Views and governed/Iceberg tables describe no storage of their own.
    if (table.tableType === "VIRTUAL_VIEW" || table.openTableFormatInput) return;
    const sd = table.storageDescriptor;
    const found = {
      serializationLibrary: sd?.serDeInfo?.serializationLibrary,
      inputFormat: sd?.inputFormat,
      outputFormat: sd?.outputFormat,
    };
    const wrong = (Object.keys(PARQUET_FORMATS) as (keyof typeof PARQUET_FORMATS)[]).filter(
      (k) => found[k] !== PARQUET_FORMATS[k],
    );
    if (wrong.length > 0) {
      reportViolation(
        `Table ${table.databaseName}.${table.name} is not Parquet (${wrong
          .map((k) => `${k}: ${found[k] ?? "unset"}`)
          .join(
            "; ",
          )}). Set storageDescriptor.serDeInfo.serializationLibrary to ${PARQUET_FORMATS.serializationLibrary}, ` +
          `inputFormat to ${PARQUET_FORMATS.inputFormat} and outputFormat to ${PARQUET_FORMATS.outputFormat}, and convert the data to Parquet.`,
      );
    }
  }),
};
