export const n = "Ana explains the dashboards very patiently";
