// Prints the events of .ics files as JSON, as Mozilla's ical.js (the parser of Thunderbird) reads them.
// Usage: node parse_ics.mjs FILE...
// One line of JSON per file, in order, so a test can check many calendars with one process.
// Every VTIMEZONE in a file is registered first, so times with a TZID resolve through the file's own zones,
// and unregistered after it, so the next file's zones of the same name take their place.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function instant(time) {
  return time.isDate ? null : time.toUnixTime();
}

function parse(file) {
  const text = readFileSync(file, "utf8");
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
    const zone = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(zone);
    return zone.tzid;
  });

  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = vevent.getFirstProperty("dtstart");
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue("status"),
      summary: event.summary,
      description: event.description,
      url: vevent.getFirstPropertyValue("url") ?? null,
      categories: vevent.getAllProperties("categories").flatMap((prop) => prop.getValues()),
      tzid: start.getParameter("tzid") ?? null,
      start: instant(event.startDate),
      end: instant(event.endDate),
      start_date: event.startDate.isDate ? event.startDate.toICALString() : null,
      end_date: event.endDate.isDate ? event.endDate.toICALString() : null,
      alarms: vevent.getAllSubcomponents("valarm").map((alarm) => alarm.getFirstPropertyValue("trigger").toSeconds()),
    };
  });
  for (const tzid of zones) {
    ICAL.TimezoneService.remove(tzid);
  }
  return {
    name: calendar.getFirstPropertyValue("name"),
    calname: calendar.getFirstPropertyValue("x-wr-calname"),
    refresh: calendar.getFirstProperty("refresh-interval")?.getFirstValue()?.toString() ?? null,
    zones,
    events,
  };
}

for (const file of process.argv.slice(2)) {
  process.stdout.write(JSON.stringify(parse(file)) + "\n");
}
