module.exports = [
    {
        languageOptions: {
            ecmaVersion: 2024,
            sourceType: "module",
            globals: {odoo: "readonly", owl: "readonly", $: "readonly"},
        },
        rules: {
            "no-unused-vars": "error",
            "no-undef": "error",
            "prefer-const": "error",
        },
    },
];
