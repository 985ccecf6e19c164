module.exports = [
    {
        languageOptions: {
            ecmaVersion: 2024,
            sourceType: "module",
            // Globals of Odoo 18's web client.
            globals: {odoo: "readonly", owl: "readonly", luxon: "readonly", $: "readonly"},
        },
        rules: {
            "no-unused-vars": "error",
            "no-undef": "error",
            "prefer-const": "error",
        },
    },
    {
        // The tools' own configuration files (this one, prettier's) run in node.
        files: ["*.cjs"],
        languageOptions: {
            sourceType: "commonjs",
            globals: {module: "writable", require: "readonly"},
        },
    },
];
