// Prints the events of an .ics file as JSON, as Mozilla's ical.js (the parser of Thunderbird) reads them.
// Usage: node parse_ics.mjs FILE
// Every VTIMEZONE in the file is registered first, so times with a TZID resolve through the file's own zones.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
const zones = calendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone);
  return zone.tzid;
});

function instant(time) {
  return time.isDate ? null : time.toUnixTime();
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const start = vevent.getFirstProperty("dtstart");
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"),
    summary: event.summary,
    description: event.description,
    categories: vevent.getAllProperties("categories").flatMap((prop) => prop.getValues()),
    tzid: start.getParameter("tzid") ?? null,
    start: instant(event.startDate),
    end: instant(event.endDate),
    start_date: event.startDate.isDate ? event.startDate.toICALString() : null,
    end_date: event.endDate.isDate ? event.endDate.toICALString() : null,
    alarms: vevent.getAllSubcomponents("valarm").map((alarm) => alarm.getFirstPropertyValue("trigger").toSeconds()),
  };
});

process.stdout.write(
  JSON.stringify({
    name: calendar.getFirstPropertyValue("name"),
    calname: calendar.getFirstPropertyValue("x-wr-calname"),
    refresh: calendar.getFirstProperty("refresh-interval")?.getFirstValue()?.toString() ?? null,
    zones,
    events,
  }),
);
