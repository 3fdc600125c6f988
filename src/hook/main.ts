console.log("hook")
