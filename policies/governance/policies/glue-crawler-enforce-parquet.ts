import { StackValidationPolicy } from "@pulumi/policy";
import { known, list, show, UNKNOWN } from "@acme/lakehouse-policy-lib";

/** Classifier kinds that make a crawler write tables that are not Parquet. */
const NON_PARQUET = ["csvClassifier", "jsonClassifier", "xmlClassifier", "grokClassifier"];

/**
 * Crawlers write the lake's tables, so where their format is knowable it is Parquet: a crawler may not
 * use a custom CSV, JSON, XML or Grok classifier of the stack (those tables come out as text formats).
 * The tables a crawler only updates (`catalogTargets`) are judged by `glue-table-enforce-parquet`.
 */
export const glueCrawlerEnforceParquet: StackValidationPolicy = {
  name: "glue-crawler-enforce-parquet",
  description: "Glue crawlers use no classifier that makes non-Parquet tables.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const classifiers = new Map<string, string>();
    for (const r of args.resources.filter((x) => x.type === "aws:glue/classifier:Classifier")) {
      const props = known(r.props);
      const kind = NON_PARQUET.find((k) => props[k] !== undefined);
      if (kind && typeof props.name === "string") classifiers.set(props.name, kind);
    }
    for (const crawler of args.resources.filter((x) => x.type === "aws:glue/crawler:Crawler")) {
      const props = known(crawler.props);
      for (const name of list(props.classifiers)) {
        if (name === UNKNOWN || typeof name !== "string") continue;
        const kind = classifiers.get(name);
        if (!kind) continue;
        reportViolation(
          `Crawler ${show(props.name ?? crawler.name)} uses classifier ${name} (${kind.replace("Classifier", "")}), so the tables it ` +
            `writes are not Parquet. Remove the classifier and crawl Parquet data (convert it at ingestion).`,
          crawler.urn,
        );
      }
    }
  },
};
