import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { Known, known, obj, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

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
  validateResource: validateResourceOfType(aws.glue.CatalogTable, (_table, args, reportViolation) => {
    const table = known(args.props);
    // Views and governed/Iceberg tables describe no storage of their own.
    if (table.tableType === "VIRTUAL_VIEW" || table.tableType === UNKNOWN || table.openTableFormatInput)
      return;
    const sd = obj(table.storageDescriptor);
    if (sd === UNKNOWN) return;
    const serDe = obj(sd?.serDeInfo);
    const found: Record<keyof typeof PARQUET_FORMATS, Known | undefined> = {
      serializationLibrary: serDe === UNKNOWN ? UNKNOWN : serDe?.serializationLibrary,
      inputFormat: sd?.inputFormat,
      outputFormat: sd?.outputFormat,
    };
    const wrong = (Object.keys(PARQUET_FORMATS) as (keyof typeof PARQUET_FORMATS)[]).filter(
      (k) => found[k] !== UNKNOWN && found[k] !== PARQUET_FORMATS[k],
    );
    if (wrong.length > 0) {
      reportViolation(
        `Table ${show(table.databaseName)}.${show(table.name)} is not Parquet (${wrong
          .map((k) => `${k}: ${show(found[k] ?? "unset")}`)
          .join(
            "; ",
          )}). Set storageDescriptor.serDeInfo.serializationLibrary to ${PARQUET_FORMATS.serializationLibrary}, ` +
          `inputFormat to ${PARQUET_FORMATS.inputFormat} and outputFormat to ${PARQUET_FORMATS.outputFormat}, and convert the data to Parquet.`,
      );
    }
  }),
};
